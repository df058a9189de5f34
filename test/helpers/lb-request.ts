// Moved to testing/ (product code runs the balancer contract too); kept here for existing tests.
export { lbRequest } from '../../testing/lb-request.ts';
