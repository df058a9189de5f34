import type { Context } from '../../engine/index.ts';
import { finishJob } from './app-lifecycle.ts';
import type { AppState, Job } from './app-state.ts';
import { accessControl, isPreflight } from './cors-policy.ts';

/**
 * The app's CORS layer, before any middleware or route: a cross-origin request from an allowed
 * origin gets the Access-Control-* headers; a preflight is answered here with 204 (returns true).
 */
export function answerCors(s: AppState, job: Job, ctx: Context): boolean {
  const req = job.msg.req;
  const cors = s.config.cors;
  if (cors === undefined || req.headers.origin === undefined) return false;
  const preflight = isPreflight(req);
  const ac = accessControl(cors, req, preflight);
  if (ac !== undefined) job.headers = { ...job.headers, accessControl: ac };
  if (!preflight) return false;
  s.probe.count('preflights', ctx.now);
  finishJob(s, job, 204, 'preflight', ctx);
  return true;
}
