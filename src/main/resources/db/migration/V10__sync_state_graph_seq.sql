-- The newest feed seq the database held when the watermark was saved. A watermark vouches that every record
-- before it is in the graph; an embedded H2 start that finds the feed ending below this seq knows the database lost
-- commits made before the watermark (seen once after a kill -9: the watermark kept, the last pages' records gone)
-- and reads every surface again from the beginning rather than resume past them. Null: saved by a version without
-- the column, trusted as before.
ALTER TABLE sync_state ADD COLUMN graph_seq BIGINT;
