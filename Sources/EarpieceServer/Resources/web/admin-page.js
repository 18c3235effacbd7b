// The administration page: retention, legal holds, dead jobs and the audit log of the token's tenant.
// Each panel loads on its own, so a role that may see only some of them (an auditor) still gets those.

import { apiRequest } from './api.js';
import { byId, show } from './dom.js';
import { setUpSignIn } from './sign-in.js';
import { tokenRoles } from './session-token.js';
import { createAnnouncer } from './announcer.js';
import { createRetentionPanel } from './retention-panel.js';
import { createLegalHoldsPanel } from './legal-holds-panel.js';
import { createDeadJobsPanel } from './dead-jobs-panel.js';
import { createAuditLogPanel } from './audit-log-panel.js';

const announce = createAnnouncer(byId('announcer'));
const panels = [
  createRetentionPanel({ announce }),
  createDeadJobsPanel({ announce }),
  createLegalHoldsPanel({ announce }),
  createAuditLogPanel({ announce }),
];

setUpSignIn({
  check: checkAdminToken,
  onSignedIn() {
    show(byId('admin'), true);
    for (const panel of panels) panel.load();
  },
  onSignedOut() {
    show(byId('admin'), false);
  },
});

async function checkAdminToken(token) {
  const { status, body } = await apiRequest(token, '/v1/calls?limit=1');
  if (status === 401) throw new Error(`The gateway refused this token: ${body?.reason ?? 'unauthorized'}.`);
  const roles = tokenRoles(token);
  if (!roles.includes('admin') && !roles.includes('auditor')) {
    throw new Error('This token has neither the admin nor the auditor role. Reps use the call page at /.');
  }
}
