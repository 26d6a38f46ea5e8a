package org.eucadb.cloudwatch;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.LockModeType;
import javax.persistence.PersistenceException;
import javax.persistence.Query;
import javax.sql.DataSource;

import org.eucadb.api.InvalidValueException;
import org.eucadb.api.cloudwatch.AlarmDefinition;
import org.eucadb.api.cloudwatch.AlarmHistoryItem;
import org.eucadb.api.cloudwatch.AlarmHistoryItemType;
import org.eucadb.api.cloudwatch.AlarmHistoryQuery;
import org.eucadb.api.cloudwatch.AlarmQuery;
import org.eucadb.api.cloudwatch.AlarmState;
import org.eucadb.api.cloudwatch.AlarmStateChange;
import org.eucadb.api.cloudwatch.AlarmStore;
import org.eucadb.api.cloudwatch.Dashboard;
import org.eucadb.api.cloudwatch.DashboardStore;
import org.eucadb.api.cloudwatch.MetricAlarm;
import org.eucadb.api.cloudwatch.MetricKey;
import org.eucadb.api.cloudwatch.MetricStoreException;
import org.eucadb.api.cloudwatch.QuotaExceededException;
import org.eucadb.api.cloudwatch.ResourceNotFoundException;
import org.eucadb.api.cloudwatch.ResourceTagStore;
import org.eucadb.support.jpa.Transactions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alarms, dashboards and their tags in the front end's database (JPA), alarm history through
 * {@link AlarmHistoryLog}. State changes are handed to {@code stateChanges} after commit.
 */
public class PgAlarmStore implements AlarmStore, DashboardStore, ResourceTagStore {
    private static final Logger LOG = LoggerFactory.getLogger(PgAlarmStore.class);
    private static final Pattern ALARM_ARN = Pattern.compile("arn:aws:cloudwatch:([^:]*):([0-9]+):alarm:(.+)");
    private static final Pattern DASHBOARD_ARN = Pattern.compile("arn:aws:cloudwatch::([0-9]+):dashboard/(.+)");
    private static final String ARN_FORMS = "arn:aws:cloudwatch:<region>:<account>:alarm:<name>"
            + " or arn:aws:cloudwatch::<account>:dashboard/<name>";

    /** How long alarm history is kept. */
    public static final java.time.Duration HISTORY_RETENTION = java.time.Duration.ofDays(30);

    private final EntityManagerFactory frontend;
    private final AlarmHistoryLog history;
    private volatile String region;
    private final Consumer<AlarmStateChange> stateChanges;

    /** @param region the region named in new alarms' ARNs */
    public PgAlarmStore(DataSource appendDb, EntityManagerFactory frontend, String region,
            Consumer<AlarmStateChange> stateChanges) {
        this.frontend = frontend;
        this.history = new AlarmHistoryLog(appendDb, frontend);
        this.region = region;
        this.stateChanges = stateChanges;
    }

    /** Work in one front-end transaction. */
    private interface Work<T> {
        T run(EntityManager em) throws ResourceNotFoundException, QuotaExceededException;
    }

    private <T> T inTransaction(String what, Work<T> work) throws MetricStoreException, ResourceNotFoundException,
            QuotaExceededException {
        try {
            return attempt(work);
        } catch (PersistenceException first) {
            try {
                // A concurrent create of the same name loses on the primary key: the retry sees the row.
                return attempt(work);
            } catch (PersistenceException e) {
                throw new MetricStoreException(what + " failed: " + e.getMessage(), e);
            }
        }
    }

    private <T> T attempt(Work<T> work) throws ResourceNotFoundException, QuotaExceededException {
        try {
            return Transactions.inTransaction(frontend, work::run);
        } catch (ResourceNotFoundException | QuotaExceededException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Work throws nothing else", e);
        }
    }

    private <T> T read(String what, java.util.function.Function<EntityManager, T> work) throws MetricStoreException {
        EntityManager em = frontend.createEntityManager();
        try {
            return work.apply(em);
        } catch (PersistenceException e) {
            throw new MetricStoreException(what + " failed: " + e.getMessage(), e);
        } finally {
            em.close();
        }
    }

    /** New alarms' ARNs name this region from now on; existing ARNs stay as they are. */
    void region(String region) {
        this.region = region;
    }

    /** History items were just added to the outbox: move them (here at once; the component does it in the background). */
    protected void historyAdded() {
        moveHistory();
    }

    /**
     * Drops alarm history older than {@link #HISTORY_RETENTION} (as CloudWatch keeps it), whole
     * monthly partitions at a time; returns how many partitions went.
     */
    public int expireHistory(Instant now) throws MetricStoreException {
        try {
            return history.dropBefore(now.minus(HISTORY_RETENTION));
        } catch (SQLException e) {
            throw new MetricStoreException("expiring alarm history failed: " + e.getMessage(), e);
        }
    }

    /** Moves outbox items to the DB VM now; a failure leaves them for the next try. */
    public void moveHistory() {
        try {
            history.moveToAppendPart();
        } catch (SQLException | PersistenceException e) {
            LOG.warn("alarm history stays in the front end's outbox for now: {}", e.getMessage());
        }
    }

    private static Timestamp ts(Instant now) {
        return Timestamp.from(now.truncatedTo(ChronoUnit.MICROS));
    }

    // ---- alarms ----

    String alarmArn(String accountId, String name) {
        return "arn:aws:cloudwatch:" + region + ":" + accountId + ":alarm:" + name;
    }

    @Override
    public MetricAlarm putAlarm(AlarmDefinition d, Map<String, String> tags, Instant now)
            throws MetricStoreException, QuotaExceededException {
        if (d.unit() != null) {
            MetricUnit.code(d.unit()); // refuses an unknown unit by name
        }
        MetricAlarm stored;
        try {
            stored = inTransaction("storing alarm " + d.alarmName(), em -> {
                Timestamp at = ts(now);
                AlarmEntity e = em.find(AlarmEntity.class, new AlarmEntity.Key(d.accountId(), d.alarmName()),
                        LockModeType.PESSIMISTIC_WRITE);
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("version", "1.0");
                if (e == null) {
                    if (count(em, "alarm", d.accountId()) >= MAX_ALARMS_PER_ACCOUNT) {
                        throw new QuotaExceededException("The maximum number of alarms (" + MAX_ALARMS_PER_ACCOUNT
                                + ") has been reached for this account.");
                    }
                    e = new AlarmEntity(d, alarmArn(d.accountId(), d.alarmName()), at);
                    em.persist(e);
                    putTags(em, d.accountId(), e.arn(), tags);
                    data.put("type", "Create");
                    data.put("createdAlarm", describe(e.toAlarm()));
                    AlarmHistoryLog.record(em, d.accountId(), d.alarmName(), at, AlarmHistoryItemType.ConfigurationUpdate,
                            "Alarm \"" + d.alarmName() + "\" created", JsonText.write(data));
                } else {
                    Map<String, Object> before = describe(e.toAlarm());
                    e.define(d, at);
                    data.put("type", "Update");
                    data.put("originalUpdatedAlarm", before);
                    data.put("updatedAlarm", describe(e.toAlarm()));
                    AlarmHistoryLog.record(em, d.accountId(), d.alarmName(), at, AlarmHistoryItemType.ConfigurationUpdate,
                            "Alarm \"" + d.alarmName() + "\" updated", JsonText.write(data));
                }
                em.flush();
                return e.toAlarm();
            });
        } catch (ResourceNotFoundException impossible) {
            throw new IllegalStateException(impossible);
        }
        historyAdded();
        return stored;
    }

    /** The definition as history data shows it. */
    private static Map<String, Object> describe(MetricAlarm a) {
        AlarmDefinition d = a.definition();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alarmName", d.alarmName());
        m.put("alarmArn", a.alarmArn());
        m.put("alarmDescription", d.description());
        m.put("namespace", d.namespace());
        m.put("metricName", d.metricName());
        List<Object> dims = new ArrayList<>();
        d.dimensions().forEach((k, v) -> dims.add(Map.of("name", k, "value", v)));
        m.put("dimensions", dims);
        m.put("statistic", d.statistic());
        m.put("extendedStatistic", d.extendedStatistic());
        m.put("period", d.period());
        m.put("evaluationPeriods", d.evaluationPeriods());
        m.put("datapointsToAlarm", d.datapointsToAlarm());
        m.put("threshold", d.threshold());
        m.put("comparisonOperator", d.comparisonOperator().name());
        m.put("treatMissingData", d.treatMissingData().name());
        m.put("unit", d.unit());
        m.put("actionsEnabled", d.actionsEnabled());
        m.put("alarmActions", d.alarmActions());
        m.put("okactions", d.okActions());
        m.put("insufficientDataActions", d.insufficientDataActions());
        m.put("stateValue", a.state().name());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static List<MetricAlarm> alarms(Query q) {
        List<MetricAlarm> out = new ArrayList<>();
        for (AlarmEntity e : (List<AlarmEntity>) q.getResultList()) {
            out.add(e.toAlarm());
        }
        return out;
    }

    @Override
    public List<MetricAlarm> describeAlarms(AlarmQuery query) throws MetricStoreException {
        StringBuilder sql = new StringBuilder("SELECT * FROM cloudwatch.alarm WHERE account_id = ?1");
        List<Object> params = new ArrayList<>(List.of(query.accountId()));
        if (!query.names().isEmpty()) {
            sql.append(" AND alarm_name IN (");
            for (int i = 0; i < query.names().size(); i++) {
                params.add(query.names().get(i));
                sql.append(i == 0 ? "" : ", ").append('?').append(params.size());
            }
            sql.append(')');
        }
        query.namePrefix().ifPresent(p -> {
            params.add(p);
            sql.append(" AND starts_with(alarm_name, ?").append(params.size()).append(')');
        });
        query.state().ifPresent(s -> {
            params.add(s.name());
            sql.append(" AND state_value = ?").append(params.size());
        });
        query.actionPrefix().ifPresent(p -> {
            params.add(p);
            sql.append(" AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(alarm_actions::jsonb || ok_actions::jsonb"
                    + " || insufficient_data_actions::jsonb) action WHERE starts_with(action, ?")
                    .append(params.size()).append("))");
        });
        query.afterName().ifPresent(n -> {
            params.add(n);
            sql.append(" AND alarm_name COLLATE \"C\" > ?").append(params.size());
        });
        sql.append(" ORDER BY alarm_name COLLATE \"C\" LIMIT ").append(Math.max(0, query.limit()));
        return read("describing alarms", em -> {
            Query q = em.createNativeQuery(sql.toString(), AlarmEntity.class);
            for (int i = 0; i < params.size(); i++) {
                q.setParameter(i + 1, params.get(i));
            }
            return alarms(q);
        });
    }

    @Override
    public List<MetricAlarm> alarmsForMetric(MetricKey metric) throws MetricStoreException {
        return read("describing alarms for a metric", em -> alarms(em.createNativeQuery("SELECT * FROM cloudwatch.alarm"
                + " WHERE account_id = ?1 AND namespace = ?2 AND metric_name = ?3 AND dimensions = ?4"
                + " ORDER BY alarm_name COLLATE \"C\"", AlarmEntity.class)
                .setParameter(1, metric.accountId()).setParameter(2, metric.namespace())
                .setParameter(3, metric.metricName()).setParameter(4, DimensionsJson.canonical(metric.dimensions()))));
    }

    @Override
    public List<MetricAlarm> allAlarms() throws MetricStoreException {
        return read("reading alarms", em -> alarms(em.createNativeQuery("SELECT * FROM cloudwatch.alarm"
                + " ORDER BY account_id, alarm_name", AlarmEntity.class)));
    }

    @Override
    public void deleteAlarms(String accountId, List<String> names) throws MetricStoreException,
            ResourceNotFoundException {
        try {
            inTransaction("deleting alarms", em -> {
                Timestamp at = ts(Instant.now());
                for (String name : names) {
                    AlarmEntity e = em.find(AlarmEntity.class, new AlarmEntity.Key(accountId, name),
                            LockModeType.PESSIMISTIC_WRITE);
                    if (e == null) {
                        throw new ResourceNotFoundException(name, "The alarm " + name + " does not exist.");
                    }
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("version", "1.0");
                    data.put("type", "Delete");
                    data.put("deletedAlarm", describe(e.toAlarm()));
                    AlarmHistoryLog.record(em, accountId, name, at, AlarmHistoryItemType.ConfigurationUpdate,
                            "Alarm \"" + name + "\" deleted", JsonText.write(data));
                    deleteTags(em, accountId, e.arn());
                    em.remove(e);
                }
                return null;
            });
        } catch (QuotaExceededException impossible) {
            throw new IllegalStateException(impossible);
        }
        historyAdded();
    }

    @Override
    public Optional<AlarmStateChange> changeState(String accountId, String alarmName, Optional<AlarmState> expected,
            AlarmState newState, String reason, String reasonData, Instant now)
            throws MetricStoreException, ResourceNotFoundException {
        Optional<AlarmStateChange> change;
        try {
            change = inTransaction("changing the state of alarm " + alarmName, em -> {
                AlarmEntity e = em.find(AlarmEntity.class, new AlarmEntity.Key(accountId, alarmName),
                        LockModeType.PESSIMISTIC_WRITE);
                if (e == null) {
                    throw new ResourceNotFoundException(alarmName, "The alarm " + alarmName + " does not exist.");
                }
                MetricAlarm before = e.toAlarm();
                if (before.state() == newState || expected.map(s -> s != before.state()).orElse(false)) {
                    return Optional.<AlarmStateChange>empty();
                }
                Timestamp at = ts(now);
                e.state(newState, reason, reasonData, at);
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("version", "1.0");
                data.put("oldState", stateData(before.state(), before.stateReason(), before.stateReasonData()));
                data.put("newState", stateData(newState, reason, reasonData));
                AlarmHistoryLog.record(em, accountId, alarmName, at, AlarmHistoryItemType.StateUpdate,
                        "Alarm updated from " + before.state() + " to " + newState, JsonText.write(data));
                em.flush();
                AlarmDefinition d = before.definition();
                return Optional.of(new AlarmStateChange(accountId, alarmName, before.alarmArn(), before.state(),
                        newState, reason, reasonData, at.toInstant(),
                        d.actionsEnabled() ? d.actionsFor(newState) : List.of()));
            });
        } catch (QuotaExceededException impossible) {
            throw new IllegalStateException(impossible);
        }
        change.ifPresent(c -> {
            historyAdded();
            stateChanges.accept(c);
        });
        return change;
    }

    private static Map<String, Object> stateData(AlarmState state, String reason, String reasonData) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stateValue", state.name());
        m.put("stateReason", reason);
        if (reasonData != null && reasonData.startsWith("{")) {
            m.put("stateReasonData", new JsonText.Raw(reasonData));
        }
        return m;
    }

    @Override
    public void setActionsEnabled(String accountId, List<String> names, boolean enabled, Instant now)
            throws MetricStoreException {
        try {
            inTransaction("changing alarm actions", em -> {
                Timestamp at = ts(now);
                for (String name : names) {
                    AlarmEntity e = em.find(AlarmEntity.class, new AlarmEntity.Key(accountId, name),
                            LockModeType.PESSIMISTIC_WRITE);
                    if (e != null) {
                        Map<String, Object> before = describe(e.toAlarm());
                        e.actionsEnabled(enabled, at);
                        Map<String, Object> data = new LinkedHashMap<>();
                        data.put("version", "1.0");
                        data.put("type", "Update");
                        data.put("originalUpdatedAlarm", before);
                        data.put("updatedAlarm", describe(e.toAlarm()));
                        AlarmHistoryLog.record(em, accountId, name, at, AlarmHistoryItemType.ConfigurationUpdate,
                                "Alarm \"" + name + "\" updated", JsonText.write(data));
                    }
                }
                return null;
            });
        } catch (ResourceNotFoundException | QuotaExceededException impossible) {
            throw new IllegalStateException(impossible);
        }
        historyAdded();
    }

    @Override
    public List<AlarmHistoryItem> history(AlarmHistoryQuery query) throws MetricStoreException {
        moveHistory();
        try {
            return history.read(query);
        } catch (SQLException e) {
            throw new MetricStoreException("reading alarm history failed: " + e.getMessage(), e);
        }
    }

    // ---- dashboards ----

    static String dashboardArn(String accountId, String name) {
        return "arn:aws:cloudwatch::" + accountId + ":dashboard/" + name;
    }

    @Override
    public Dashboard putDashboard(String accountId, String name, String body, Map<String, String> tags, Instant now)
            throws MetricStoreException, QuotaExceededException {
        try {
            return inTransaction("storing dashboard " + name, em -> {
                DashboardEntity e = em.find(DashboardEntity.class, new DashboardEntity.Key(accountId, name),
                        LockModeType.PESSIMISTIC_WRITE);
                if (e == null) {
                    if (count(em, "dashboard", accountId) >= MAX_DASHBOARDS_PER_ACCOUNT) {
                        throw new QuotaExceededException("The maximum number of dashboards ("
                                + MAX_DASHBOARDS_PER_ACCOUNT + ") has been reached for this account.");
                    }
                    e = new DashboardEntity(accountId, name, dashboardArn(accountId, name));
                    e.body(body, body.getBytes(StandardCharsets.UTF_8).length, ts(now));
                    em.persist(e);
                    putTags(em, accountId, e.arn(), tags);
                } else {
                    e.body(body, body.getBytes(StandardCharsets.UTF_8).length, ts(now));
                }
                em.flush();
                return e.toDashboard();
            });
        } catch (ResourceNotFoundException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public Optional<Dashboard> dashboard(String accountId, String name) throws MetricStoreException {
        return read("reading dashboard " + name, em -> Optional.ofNullable(
                em.find(DashboardEntity.class, new DashboardEntity.Key(accountId, name)))
                .map(DashboardEntity::toDashboard));
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Dashboard> listDashboards(String accountId, String prefix, Optional<String> afterName, int limit)
            throws MetricStoreException {
        return read("listing dashboards", em -> {
            Query q = em.createNativeQuery("SELECT * FROM cloudwatch.dashboard WHERE account_id = ?1"
                    + " AND starts_with(dashboard_name, ?2) AND dashboard_name COLLATE \"C\" > ?3"
                    + " ORDER BY dashboard_name COLLATE \"C\" LIMIT " + Math.max(0, limit), DashboardEntity.class)
                    .setParameter(1, accountId).setParameter(2, prefix).setParameter(3, afterName.orElse(""));
            List<Dashboard> out = new ArrayList<>();
            for (DashboardEntity e : (List<DashboardEntity>) q.getResultList()) {
                out.add(e.toDashboard());
            }
            return out;
        });
    }

    @Override
    public void deleteDashboards(String accountId, List<String> names) throws MetricStoreException,
            ResourceNotFoundException {
        try {
            inTransaction("deleting dashboards", em -> {
                for (String name : names) {
                    DashboardEntity e = em.find(DashboardEntity.class, new DashboardEntity.Key(accountId, name),
                            LockModeType.PESSIMISTIC_WRITE);
                    if (e == null) {
                        throw new ResourceNotFoundException(name, "Dashboard " + name + " does not exist");
                    }
                    deleteTags(em, accountId, e.arn());
                    em.remove(e);
                }
                return null;
            });
        } catch (QuotaExceededException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    // ---- tags ----

    /** Checks the ARN names a resource of the account; refuses malformed ARNs by field. */
    private void requireResource(EntityManager em, String accountId, String arn) throws ResourceNotFoundException {
        Matcher alarm = ALARM_ARN.matcher(arn);
        Matcher dashboard = DASHBOARD_ARN.matcher(arn);
        String stored;
        if (alarm.matches()) {
            AlarmEntity e = alarm.group(2).equals(accountId)
                    ? em.find(AlarmEntity.class, new AlarmEntity.Key(accountId, alarm.group(3))) : null;
            stored = e == null ? null : e.arn();
        } else if (dashboard.matches()) {
            DashboardEntity e = dashboard.group(1).equals(accountId)
                    ? em.find(DashboardEntity.class, new DashboardEntity.Key(accountId, dashboard.group(2))) : null;
            stored = e == null ? null : e.arn();
        } else {
            throw new InvalidValueException("ResourceARN", arn, ARN_FORMS);
        }
        if (!arn.equals(stored)) {
            throw new ResourceNotFoundException(arn, "The resource " + arn + " does not exist.");
        }
    }

    private static void putTags(EntityManager em, String accountId, String arn, Map<String, String> tags) {
        for (Map.Entry<String, String> t : tags.entrySet()) {
            em.createNativeQuery("INSERT INTO cloudwatch.resource_tag (account_id, resource_arn, tag_key, tag_value)"
                    + " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (account_id, resource_arn, tag_key)"
                    + " DO UPDATE SET tag_value = EXCLUDED.tag_value")
                    .setParameter(1, accountId).setParameter(2, arn).setParameter(3, t.getKey())
                    .setParameter(4, t.getValue()).executeUpdate();
        }
    }

    private static void deleteTags(EntityManager em, String accountId, String arn) {
        em.createNativeQuery("DELETE FROM cloudwatch.resource_tag WHERE account_id = ?1 AND resource_arn = ?2")
                .setParameter(1, accountId).setParameter(2, arn).executeUpdate();
    }

    /**
     * The account's rows in the table, counted under a lock on (table, account) held to the end of
     * the transaction: two new alarms created at once cannot both see room for one.
     */
    private static long count(EntityManager em, String table, String accountId) {
        em.createNativeQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext('eucadb.cloudwatch.quota'),"
                + " hashtext(?1 || ?2))) locked").setParameter(1, table + ":").setParameter(2, accountId)
                .getSingleResult();
        return ((Number) em.createNativeQuery("SELECT count(*) FROM cloudwatch." + table + " WHERE account_id = ?1")
                .setParameter(1, accountId).getSingleResult()).longValue();
    }

    @Override
    public void tagResource(String accountId, String arn, Map<String, String> tags)
            throws MetricStoreException, ResourceNotFoundException, QuotaExceededException {
        inTransaction("tagging " + arn, em -> {
            requireResource(em, accountId, arn);
            putTags(em, accountId, arn, tags);
            long n = ((Number) em.createNativeQuery("SELECT count(*) FROM cloudwatch.resource_tag"
                    + " WHERE account_id = ?1 AND resource_arn = ?2").setParameter(1, accountId).setParameter(2, arn)
                    .getSingleResult()).longValue();
            if (n > MAX_TAGS_PER_RESOURCE) {
                throw new QuotaExceededException("A resource can have at most " + MAX_TAGS_PER_RESOURCE
                        + " tags; this request would give " + arn + " " + n + ".");
            }
            return null;
        });
    }

    @Override
    public void untagResource(String accountId, String arn, Collection<String> keys)
            throws MetricStoreException, ResourceNotFoundException {
        try {
            inTransaction("untagging " + arn, em -> {
                requireResource(em, accountId, arn);
                for (String k : keys) {
                    em.createNativeQuery("DELETE FROM cloudwatch.resource_tag WHERE account_id = ?1"
                            + " AND resource_arn = ?2 AND tag_key = ?3")
                            .setParameter(1, accountId).setParameter(2, arn).setParameter(3, k).executeUpdate();
                }
                return null;
            });
        } catch (QuotaExceededException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public SortedMap<String, String> tags(String accountId, String arn)
            throws MetricStoreException, ResourceNotFoundException {
        try {
            return inTransaction("reading the tags of " + arn, em -> {
                requireResource(em, accountId, arn);
                SortedMap<String, String> tags = new TreeMap<>();
                for (Object[] r : (List<Object[]>) em.createNativeQuery("SELECT tag_key, tag_value"
                        + " FROM cloudwatch.resource_tag WHERE account_id = ?1 AND resource_arn = ?2")
                        .setParameter(1, accountId).setParameter(2, arn).getResultList()) {
                    tags.put((String) r[0], (String) r[1]);
                }
                return tags;
            });
        } catch (QuotaExceededException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
