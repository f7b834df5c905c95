/** The fault-step merge, as the server does it (server/services/faults/lifecycle.py _set_step_time): pure,
 *  so tests/pwa/test_fault_steps_node.py can hold it to the server's on the same inputs. */
export const STEPS = ['reported', 'responded', 'diagnosing', 'spare_installed', 'resolved', 'closed'];
export const OPEN_STATES = ['reported', 'responded', 'diagnosing', 'spare_installed'];

const earliest = (a, b) => (!a ? b : (!b ? a : (new Date(b) < new Date(a) ? b : a)));

/** Apply step records as the server does (server/services/faults/lifecycle.py): earliest time per step wins;
 *  a later step implies responded and diagnosing at its time; the state is the furthest step reached. */
export function withSteps(fault, steps) {
  const f = {...fault};
  for (const s of steps) {
    const {step, at} = s.data;
    f[`${step}_at`] = earliest(f[`${step}_at`], at);
    for (const implied of ['responded', 'diagnosing']) {
      if (STEPS.indexOf(implied) < STEPS.indexOf(step) && !f[`${implied}_at`]) f[`${implied}_at`] = at;
    }
    if (s.data.resolution) f.resolution = f.resolution || s.data.resolution;
  }
  let state = f.state || 'reported';
  for (const step of STEPS) if (f[`${step}_at`] && STEPS.indexOf(step) > STEPS.indexOf(state)) state = step;
  f.state = state;
  return f;
}
