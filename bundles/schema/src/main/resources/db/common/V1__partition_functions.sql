-- Time partitions for the append-only tables: created on demand by the writers, dropped whole
-- by retention (never row-by-row DELETE). Partitions are named <table>_pYYYYMMDD (daily) or
-- <table>_pYYYYMM (monthly), with bounds in UTC.

CREATE FUNCTION eucadb.ensure_partitions(parent regclass, step text, from_ts timestamptz, to_ts timestamptz)
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
    IF step NOT IN ('day', 'month') THEN
        RAISE EXCEPTION 'step: ''%'' is not accepted; expected day|month', step;
    END IF;
    IF to_ts < from_ts THEN
        RAISE EXCEPTION 'to_ts: % is before from_ts %', to_ts, from_ts;
    END IF;
    width := CASE step WHEN 'day' THEN interval '1 day' ELSE interval '1 month' END;
    fmt   := CASE step WHEN 'day' THEN 'YYYYMMDD' ELSE 'YYYYMM' END;
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

-- Drops the partitions of parent whose every row is older than before_ts; returns how many.
CREATE FUNCTION eucadb.drop_partitions_before(parent regclass, before_ts timestamptz)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    r       record;
    upper_b timestamptz;
    dropped integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(parent::oid::bigint);
    FOR r IN
        SELECT c.oid::regclass AS part, pg_get_expr(c.relpartbound, c.oid) AS bound
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = parent
    LOOP
        upper_b := substring(r.bound FROM 'TO \(''([^'']+)''\)')::timestamptz;
        IF upper_b IS NOT NULL AND upper_b <= before_ts THEN
            EXECUTE format('DROP TABLE %s', r.part);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    RETURN dropped;
END
$$;
