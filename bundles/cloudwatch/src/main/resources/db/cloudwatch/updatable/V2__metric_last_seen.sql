-- ListMetrics RecentlyActive=PT3H filters on last_seen (written by the store at most once per
-- metric every few minutes). Metrics seen before this change count as seen when created.
UPDATE cloudwatch.metric SET last_seen = created_at WHERE last_seen IS NULL;

CREATE INDEX metric_account_last_seen ON cloudwatch.metric (account_id, last_seen);
