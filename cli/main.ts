// The stacksim executable (bundled to dist/stacksim.mjs): the CLI over the registered kinds.
import { COMPONENT_KINDS } from '../models/registry.ts';
import { main } from './process.ts';

void main(COMPONENT_KINDS);
