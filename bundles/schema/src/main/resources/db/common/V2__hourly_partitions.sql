-- Adds the 'hour' step to ensure_partitions (CloudWatch's 1-second datapoints are kept 3 hours,
-- so they are dropped by the hour). Hourly partitions are named <table>_pYYYYMMDDHH (UTC).
-- V1 stays as applied; this replaces the function in place, same signature.

CREATE OR REPLACE FUNCTION eucadb.ensure_partitions(parent regclass, step text, from_ts timestamptz, to_ts timestamptz)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    part_schema text;
    part_table  text;
    lo          timestamp;  -- UTC wall clock
    hi          timestamp;
    width       interval;
    fmt         text;
    made        integer := 0;
    child       text;
BEGIN
    IF step NOT IN ('hour', 'day', 'month') THEN
        RAISE EXCEPTION 'step: ''%'' is not accepted; expected hour|day|month', step;
    END IF;
    IF to_ts < from_ts THEN
        RAISE EXCEPTION 'to_ts: % is before from_ts %', to_ts, from_ts;
    END IF;
    width := CASE step WHEN 'hour' THEN interval '1 hour' WHEN 'day' THEN interval '1 day' ELSE interval '1 month' END;
    fmt   := CASE step WHEN 'hour' THEN 'YYYYMMDDHH24' WHEN 'day' THEN 'YYYYMMDD' ELSE 'YYYYMM' END;
    SELECT n.nspname, c.relname INTO part_schema, part_table
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = parent;
    -- One creator at a time per parent; others wait, then find the partition made.
    PERFORM pg_advisory_xact_lock(parent::oid::bigint);
    lo := date_trunc(step, from_ts AT TIME ZONE 'UTC');
    WHILE lo <= (to_ts AT TIME ZONE 'UTC') LOOP
        hi := lo + width;
        child := part_table || '_p' || to_char(lo, fmt);
        IF to_regclass(format('%I.%I', part_schema, child)) IS NULL THEN
            EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)',
                           part_schema, child, parent, (lo AT TIME ZONE 'UTC'), (hi AT TIME ZONE 'UTC'));
            made := made + 1;
        END IF;
        lo := hi;
    END LOOP;
    RETURN made;
END
$$;
