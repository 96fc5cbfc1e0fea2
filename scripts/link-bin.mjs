// Links the project's own `os-catalog` bin into node_modules/.bin, so that `npx os-catalog …`
// runs this checkout's CLI instead of npx trying to install the package from the registry.
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';

mkdirSync('node_modules/.bin', { recursive: true });
rmSync('node_modules/.bin/os-catalog', { force: true });
symlinkSync('../../bin/os-catalog.js', 'node_modules/.bin/os-catalog');
