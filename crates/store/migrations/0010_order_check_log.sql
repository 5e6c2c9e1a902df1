-- Issue 18: the order-check log. Each check as answered (`enduse check --order`, the app's Order
-- check screen), with its later release by a compliance manager.
CREATE TABLE order_check (
    id TEXT PRIMARY KEY,
    order_ref TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    customer_name TEXT NOT NULL,
    hs_codes TEXT NOT NULL,
    destination TEXT NOT NULL,
    checked_on TEXT NOT NULL,
    decision TEXT NOT NULL,
    reasons TEXT NOT NULL,
    checked_by TEXT NOT NULL REFERENCES user(id),
    checked_at TEXT NOT NULL,
    released_by TEXT REFERENCES user(id),
    released_at TEXT,
    release_reason TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT,
    updated_by TEXT
);
CREATE INDEX order_check_checked_at ON order_check(checked_at);
CREATE INDEX order_check_customer ON order_check(customer_id, checked_at);
CREATE INDEX order_check_ref ON order_check(order_ref);

