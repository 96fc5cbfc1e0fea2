/**
 * Retries an assertion until it passes (e.g. a NOTIFY arrives asynchronously) or 30 s pass: the
 * budget of expect.poll (vitest.config.ts), so a loaded machine is not taken for a wrong answer.
 */
export async function eventually(assertion: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
