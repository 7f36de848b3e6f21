-- A store that asked one node to wait (429 with Retry-After, a GraphQL THROTTLED, a spent window's reset) is
-- waited for by every node: the wait is kept here until it ends, read by each node before it calls the store.
-- Embedded H2 has one node and never writes here.
CREATE TABLE rate_pauses (
    budget  VARCHAR(250) PRIMARY KEY,
    until   TIMESTAMP WITH TIME ZONE NOT NULL
);
