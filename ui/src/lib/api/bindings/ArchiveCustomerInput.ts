export type ArchiveCustomerInput = { id: string, archived: boolean, };
