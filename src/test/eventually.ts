/** Retries an assertion until it passes (e.g. a NOTIFY arrives asynchronously) or 5 s pass. */
export async function eventually(assertion: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
