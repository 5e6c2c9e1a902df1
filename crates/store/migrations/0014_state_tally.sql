-- The home screen's counts by country, owner and state: GROUP BY reads this covering index in
-- its order instead of sorting every stored state (at 100,000 customers the sort was half of
-- opening the app: 10 ms with the index, ~90 ms without).
CREATE INDEX customer_state_tally ON customer_state(in_country, owned_by, state);
