-- History items carry the id they got in the front end's outbox: it orders items written in the
-- same instant (paging) and makes moving them from the outbox idempotent.
ALTER TABLE cloudwatch_append.alarm_history ADD COLUMN item_id bigint NOT NULL;
CREATE UNIQUE INDEX alarm_history_item ON cloudwatch_append.alarm_history (item_id, ts);
