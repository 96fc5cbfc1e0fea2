// A VMmanager simulator in a process of its own, so that the freshness benchmark's CPU figure is
// the service's alone. Prints its address as one JSON line; exits when its standard input closes.
import { startVmmanagerSimulator } from '../src/vmmanager6/simulator/simulator.js';

const templates = Number(process.argv[2] ?? '200');
const sim = await startVmmanagerSimulator({ port: 0, seed: { templates } });
process.stdout.write(JSON.stringify({ url: sim.url, email: sim.email, password: sim.password }) + '\n');
process.stdin.on('end', () => void sim.close().then(() => process.exit(0)));
process.stdin.resume();
