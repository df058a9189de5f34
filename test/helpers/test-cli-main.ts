// Entry of the test build of the CLI: the real command line over the registry plus the
// test-only kinds (bundled by test/helpers/cli.ts; never shipped).
import { main } from '../../cli/process.ts';
import { COMPONENT_KINDS } from '../../models/registry.ts';
import { TEST_KINDS } from './test-kinds.ts';

void main([...COMPONENT_KINDS, ...TEST_KINDS]);
