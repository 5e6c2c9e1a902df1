import type { CustomerStatus } from "./CustomerStatus";
export type CustomerStatusInput = { id: string, status: CustomerStatus, reason: string | null, };
