//! Words for the audit trail: actions and record fields as a reader says them.

const ACTIONS: Record<string, string> = {
  'customer.create': 'Customer added',
  'customer.update': 'Customer changed',
  'customer.status': 'Customer status set',
  'customer.archive': 'Customer archived',
  'letter.generate': 'Letter generated',
  'letter.send': 'Letter sent',
  'letter.acknowledge': 'Letter acknowledged',
  'visit.log': 'Visit logged',
  'attestation.log': 'Attestation logged',
  'attestation.amend': 'Attestation amended',
  'review.record': 'Attestation reviewed',
  'attestation.approve': 'Attestation approved',
  'attestation.reject': 'Attestation rejected',
  'attestation.request_changes': 'Attestation sent back',
  'document.attach': 'Document attached',
  'user.create': 'User added',
  'user.disable': 'User disabled',
  'user.enable': 'User enabled',
  'session.sign_in': 'Signed in',
  'audit.export': 'Audit trail exported',
  'campaign.create': 'Campaign created',
  'policy.update': 'Policy changed',
  'reference.load': 'Reference data loaded',
  'customer.import': 'Customer imported',
  'customer.restore': 'Customer restored',
  'follow_up.create': 'Follow-up added',
  'follow_up.complete': 'Follow-up done',
  'hit.open': 'Screening hit opened',
  'hit.confirm': 'Screening hit confirmed',
  'hit.dismiss': 'Screening hit dismissed',
  'hit.names_changed': 'Screening hit: names changed',
  'letter.chase': 'Letter chased',
  'letter.record': 'Letter recorded',
  'letter.pdf': 'Letter PDF saved',
  'list.import': 'Screening list loaded',
  'red_flag.observe': 'Red flag observed',
  'red_flag.resolve': 'Red flag resolved',
  'template.save': 'Template saved',
};

/** "letter.generate" → "Letter generated"; an action without words of its own reads "Red flag: resolve". */
export function actionLabel(action: string): string {
  const known = ACTIONS[action];
  if (known) return known;
  const [noun, ...verb] = action.split('.');
  const words = (s: string) => s.replace(/[_-]+/g, ' ').trim();
  const head = words(noun ?? '');
  const tail = words(verb.join(' '));
  const capital = head.charAt(0).toUpperCase() + head.slice(1);
  return tail ? `${capital}: ${tail}` : capital;
}

/** "signatoryName" → "Signatory name", "hsCodes" → "HS codes". */
export function fieldLabel(field: string): string {
  const words = field
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
    .replace(/\bhs\b/g, 'HS')
    .replace(/\bid\b/g, 'ID')
    .replace(/\bsha256\b/g, 'SHA-256');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
