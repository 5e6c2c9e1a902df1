import type { CustomerInput } from "./CustomerInput";
export type EditCustomerInput = { id: string, customer: CustomerInput, expectedVersion: number | null, };
