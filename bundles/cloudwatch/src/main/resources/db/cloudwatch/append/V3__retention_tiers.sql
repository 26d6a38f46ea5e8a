-- AWS's retention tiers: 1-second points 3 hours (datapoint_hires, hourly partitions),
-- 60-second points 15 days (datapoint, which also receives the 1-minute rollups of the
-- 1-second points, marked storage_resolution = 1), 5-minute rollups 63 days (datapoint_5m,
-- daily partitions), 1-hour rollups 455 days (datapoint_1h, monthly partitions).
-- Every row is a statistic set; a bucket may hold several rows (late data is appended, never
-- merged), and every read aggregates the rows of a bucket.

CREATE TABLE cloudwatch_append.datapoint_hires (
    metric_id    bigint           NOT NULL,
    ts           timestamptz      NOT NULL,
    sample_count double precision NOT NULL,
    sum          double precision NOT NULL,
    minimum      double precision NOT NULL,
    maximum      double precision NOT NULL,
    unit         smallint         NOT NULL
) PARTITION BY RANGE (ts);
CREATE INDEX datapoint_hires_metric_ts ON cloudwatch_append.datapoint_hires (metric_id, ts);
CREATE INDEX datapoint_hires_ts_brin ON cloudwatch_append.datapoint_hires USING brin (ts);

CREATE TABLE cloudwatch_append.datapoint_5m (
    metric_id    bigint           NOT NULL,
    ts           timestamptz      NOT NULL,
    sample_count double precision NOT NULL,
    sum          double precision NOT NULL,
    minimum      double precision NOT NULL,
    maximum      double precision NOT NULL,
    unit         smallint         NOT NULL
) PARTITION BY RANGE (ts);
CREATE INDEX datapoint_5m_metric_ts ON cloudwatch_append.datapoint_5m (metric_id, ts);
CREATE INDEX datapoint_5m_ts_brin ON cloudwatch_append.datapoint_5m USING brin (ts);

CREATE TABLE cloudwatch_append.datapoint_1h (
    metric_id    bigint           NOT NULL,
    ts           timestamptz      NOT NULL,
    sample_count double precision NOT NULL,
    sum          double precision NOT NULL,
    minimum      double precision NOT NULL,
    maximum      double precision NOT NULL,
    unit         smallint         NOT NULL
) PARTITION BY RANGE (ts);
CREATE INDEX datapoint_1h_metric_ts ON cloudwatch_append.datapoint_1h (metric_id, ts);

-- done_until: the watermark W of a tier; every source row before it is rolled into the tier.
-- NULL: the tier has not started (writers then copy nothing into it). Always W1h <= W5m <= W1m.
-- source_dropped_before: the last expiry cutoff of the tier's source table (for '1m': of
-- datapoint_hires); reads take the source's rows only from there on.
CREATE TABLE cloudwatch_append.rollup_state (
    tier                  text PRIMARY KEY CHECK (tier IN ('1m', '5m', '1h')),
    done_until            timestamptz,
    source_dropped_before timestamptz
);
INSERT INTO cloudwatch_append.rollup_state (tier) VALUES ('1m'), ('5m'), ('1h');
-- 1-second points stored before this version are in datapoint (storage_resolution = 1): reads
-- take them from there, as they take the minute rollups of expired 1-second data. A one-time scan.
UPDATE cloudwatch_append.rollup_state
   SET source_dropped_before = (SELECT max(ts) + interval '1 microsecond' FROM cloudwatch_append.datapoint
                                 WHERE storage_resolution = 1)
 WHERE tier = '1m';

-- The lower bound of the oldest partition of a table (NULL when it has none): no row is older.
CREATE FUNCTION cloudwatch_append.oldest_partition_start(parent regclass)
RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT min(substring(pg_get_expr(c.relpartbound, c.oid) FROM 'FROM \(''([^'']+)''\)')::timestamptz)
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = parent
$$;

-- Rolls the closed interval [from_ts, until_ts) of one tier's source into the tier with one
-- INSERT ... SELECT ... GROUP BY, and moves the watermark to until_ts, in the caller's
-- transaction. Returns the rows written, or -1 when the watermark is not at from_ts (another
-- job moved it, or a writer made an older partition before the tier started): the caller reads
-- the state again. Writers hold the same advisory lock shared while they append, so no row
-- committed under an older watermark is missed. The target's partitions must exist.
CREATE FUNCTION cloudwatch_append.roll_up(p_tier text, from_ts timestamptz, until_ts timestamptz)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    w        timestamptz;
    finer_w  timestamptz;
    origin   timestamptz;
    written  bigint;
BEGIN
    IF p_tier NOT IN ('1m', '5m', '1h') THEN
        RAISE EXCEPTION 'tier: ''%'' is not accepted; expected 1m|5m|1h', p_tier;
    END IF;
    IF until_ts <= from_ts THEN
        RAISE EXCEPTION 'until_ts: % is not after from_ts %', until_ts, from_ts;
    END IF;
    IF date_bin(CASE p_tier WHEN '1m' THEN interval '1 minute' WHEN '5m' THEN interval '5 minutes'
                ELSE interval '1 hour' END, until_ts, timestamptz 'epoch') <> until_ts THEN
        RAISE EXCEPTION 'until_ts: % is not on a % boundary', until_ts, p_tier;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('eucadb.cloudwatch.rollup'));
    SELECT done_until INTO w FROM cloudwatch_append.rollup_state WHERE tier = p_tier FOR UPDATE;
    IF w IS NULL THEN
        origin := cloudwatch_append.oldest_partition_start(CASE p_tier
            WHEN '1m' THEN 'cloudwatch_append.datapoint_hires' WHEN '5m' THEN 'cloudwatch_append.datapoint'
            ELSE 'cloudwatch_append.datapoint_5m' END::regclass);
        IF origin < from_ts THEN
            RETURN -1;
        END IF;
    ELSIF w <> from_ts THEN
        RETURN -1;
    END IF;
    IF p_tier <> '1m' THEN
        SELECT done_until INTO finer_w FROM cloudwatch_append.rollup_state
         WHERE tier = CASE p_tier WHEN '5m' THEN '1m' ELSE '5m' END;
        IF finer_w IS NULL OR until_ts > finer_w THEN
            RAISE EXCEPTION 'until_ts: % is past the finer tier''s watermark %', until_ts, finer_w;
        END IF;
    END IF;
    IF p_tier = '1m' THEN
        INSERT INTO cloudwatch_append.datapoint
               (metric_id, ts, sample_count, sum, minimum, maximum, unit, storage_resolution)
        SELECT metric_id, date_bin(interval '1 minute', ts, timestamptz 'epoch'), sum(sample_count), sum(sum), min(minimum), max(maximum), unit, 1
          FROM cloudwatch_append.datapoint_hires
         WHERE ts >= from_ts AND ts < until_ts
         GROUP BY metric_id, date_bin(interval '1 minute', ts, timestamptz 'epoch'), unit;
    ELSIF p_tier = '5m' THEN
        INSERT INTO cloudwatch_append.datapoint_5m (metric_id, ts, sample_count, sum, minimum, maximum, unit)
        SELECT metric_id, date_bin(interval '5 minutes', ts, timestamptz 'epoch'), sum(sample_count), sum(sum),
               min(minimum), max(maximum), unit
          FROM cloudwatch_append.datapoint
         WHERE ts >= from_ts AND ts < until_ts
         GROUP BY metric_id, date_bin(interval '5 minutes', ts, timestamptz 'epoch'), unit;
    ELSE
        INSERT INTO cloudwatch_append.datapoint_1h (metric_id, ts, sample_count, sum, minimum, maximum, unit)
        SELECT metric_id, date_bin(interval '1 hour', ts, timestamptz 'epoch'), sum(sample_count), sum(sum), min(minimum), max(maximum), unit
          FROM cloudwatch_append.datapoint_5m
         WHERE ts >= from_ts AND ts < until_ts
         GROUP BY metric_id, date_bin(interval '1 hour', ts, timestamptz 'epoch'), unit;
    END IF;
    GET DIAGNOSTICS written = ROW_COUNT;
    UPDATE cloudwatch_append.rollup_state SET done_until = until_ts WHERE tier = p_tier;
    RETURN written;
END
$$;

-- The statistics of one metric in [from_ts, to_ts) per period of period_s seconds counted from
-- from_ts (one row per period and unit), each part of the range from the coarsest tier the
-- period fits, as AWS serves it:
--   period_s < 60: 60-second points and 1-second points (from the last expiry cutoff of
--   datapoint_hires on; before it they exist only as minute rollups, which do not fit).
--   period_s >= 60: [from, b1) from datapoint_1h when the period and from_ts are whole hours,
--   [b1, b2) from datapoint_5m when they are whole 5 minutes, [b2, to) from datapoint, and the
--   1-second points not yet rolled (from W1m on); b1 and b2 are W1h and W5m clamped to the range.
-- STABLE: the watermarks and the rows are read in the snapshot of the calling statement. The
-- rows are read by a statement planned with the bounds as constants, so only the partitions
-- of each table's part of the range are planned (a range over a year would otherwise plan
-- every daily partition).
CREATE FUNCTION cloudwatch_append.read_statistics(p_metric bigint, from_ts timestamptz, to_ts timestamptz,
                                                  period_s integer)
RETURNS TABLE (bucket timestamptz, unit smallint, sample_count double precision, sum double precision,
               minimum double precision, maximum double precision)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    w1m     timestamptz;
    w5m     timestamptz;
    w1h     timestamptz;
    h       timestamptz;
    b1      timestamptz;
    b2      timestamptz;
    width   interval := make_interval(secs => period_s);
    cols    text := 'ts, unit, sample_count, sum, minimum, maximum';
BEGIN
    IF period_s IS NULL OR period_s < 1 THEN
        RAISE EXCEPTION 'period_s: % is not accepted; expected a number of seconds above 0', period_s;
    END IF;
    SELECT coalesce(max(s.done_until) FILTER (WHERE s.tier = '1m'), '-infinity'),
           coalesce(max(s.done_until) FILTER (WHERE s.tier = '5m'), '-infinity'),
           coalesce(max(s.done_until) FILTER (WHERE s.tier = '1h'), '-infinity'),
           coalesce(max(s.source_dropped_before) FILTER (WHERE s.tier = '1m'), '-infinity')
      INTO w1m, w5m, w1h, h
      FROM cloudwatch_append.rollup_state s;
    IF period_s < 60 THEN
        RETURN QUERY EXECUTE
            'SELECT date_bin($4, ts, $2) AS b, unit, sum(sample_count), sum(sum), min(minimum), max(maximum) FROM ('
            || ' SELECT ' || cols || ' FROM cloudwatch_append.datapoint'
            || ' WHERE metric_id = $1 AND ts >= $2 AND ts < $3 AND storage_resolution = 60'
            || ' UNION ALL SELECT ' || cols || ' FROM cloudwatch_append.datapoint_hires'
            || ' WHERE metric_id = $1 AND ts >= greatest($2, $5) AND ts < $3'
            || ') x GROUP BY b, unit ORDER BY b'
            USING p_metric, from_ts, to_ts, width, h;
        RETURN;
    END IF;
    b1 := CASE WHEN period_s % 3600 = 0 AND extract(epoch FROM from_ts) % 3600 = 0
               THEN least(greatest(w1h, from_ts), to_ts) ELSE from_ts END;
    b2 := CASE WHEN period_s % 300 = 0 AND extract(epoch FROM from_ts) % 300 = 0
               THEN least(greatest(w5m, b1), to_ts) ELSE b1 END;
    RETURN QUERY EXECUTE
        'SELECT date_bin($4, ts, $2) AS b, unit, sum(sample_count), sum(sum), min(minimum), max(maximum) FROM ('
        || ' SELECT ' || cols || ' FROM cloudwatch_append.datapoint_1h WHERE metric_id = $1 AND ts >= $2 AND ts < $5'
        || ' UNION ALL SELECT ' || cols || ' FROM cloudwatch_append.datapoint_5m'
        || ' WHERE metric_id = $1 AND ts >= $5 AND ts < $6'
        || ' UNION ALL SELECT ' || cols || ' FROM cloudwatch_append.datapoint WHERE metric_id = $1 AND ts >= $6 AND ts < $3'
        || ' UNION ALL SELECT ' || cols || ' FROM cloudwatch_append.datapoint_hires'
        || ' WHERE metric_id = $1 AND ts >= greatest($6, $7) AND ts < $3'
        || ') x GROUP BY b, unit ORDER BY b'
        USING p_metric, from_ts, to_ts, width, b1, b2, w1m;
END
$$;
