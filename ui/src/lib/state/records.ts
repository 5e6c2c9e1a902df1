//! Writes of single records that a form makes and then shows: an attestation logged or amended, a
//! visit logged, an order checked. The forms hold their own busy and error state (an `Action`, or
//! the attestation form's own); these only name what is sent to the core.
import { call } from '$lib/api/ipc';
import type { AmendInput } from '$lib/api/bindings/AmendInput';
import type { AttestationFormInput } from '$lib/api/bindings/AttestationFormInput';
import type { AttestationRecord } from '$lib/api/bindings/AttestationRecord';
import type { CustomerDetail } from '$lib/api/bindings/CustomerDetail';
import type { LoggedVisit } from '$lib/api/bindings/LoggedVisit';
import type { OrderCheckRecord } from '$lib/api/bindings/OrderCheckRecord';
import type { RecordCheckInput } from '$lib/api/bindings/RecordCheckInput';
import type { VisitInput } from '$lib/api/bindings/VisitInput';

export function logAttestation(input: AttestationFormInput): Promise<AttestationRecord> {
  return call('log_attestation', input);
}

export function amendAttestation(input: AmendInput): Promise<AttestationRecord> {
  return call('amend_attestation', input);
}

/** An attestation with its documents and reviews, and the page of the customer it belongs to. */
export async function attestationWithCustomer(
  id: string,
): Promise<{ record: AttestationRecord; customer: CustomerDetail }> {
  const record = await call('get_attestation', id);
  const customer = await call('customer_detail', record.attestation.customerId);
  return { record, customer };
}

export function logVisit(input: VisitInput): Promise<LoggedVisit> {
  return call('log_visit', input);
}


/** Answers the check and records it in the order-check log. */
export function recordOrderCheck(input: RecordCheckInput): Promise<OrderCheckRecord> {
  return call('record_order_check', input);
}
