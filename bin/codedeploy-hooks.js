#!/usr/bin/env node
// The CLI is written in TypeScript and so are the hooks it runs (hooks/*.ts and
// users' own). Registering tsx's loader once here lets `simulate` import a .ts
// hook module as it stands, with no build step in between.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
// Exit when the command is done, as Lambda would end a timed-out hook: a hook that is
// still sleeping after the deployment finished must not keep the CLI alive.
process.exit(await main(process.argv.slice(2)));
