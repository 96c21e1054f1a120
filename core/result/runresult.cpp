#include "core/result/runresult.h"

#include "core/db/pgconnection.h"

#include "core/result/buildinfo.h"

#include "core/metrics/tickclock.h"

#include "core/db/database.h"

#include <QByteArray>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QSysInfo>
#include <QThread>

#include <cmath>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
QJsonValue optionalNumber(const std::optional<double> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

double micros(std::int64_t nanos)
{
    return double(nanos) / 1000.0;
}

QString cpuModel()
{
    QFile file(u"/proc/cpuinfo"_s);
    // /proc files report a size of 0: read them whole rather than testing atEnd().
    if (file.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> lines = file.readAll().split('\n');
        for (const QByteArray &line : lines) {
            if (line.startsWith("model name")) {
                const auto colon = line.indexOf(':');
                return QString::fromUtf8(line.mid(colon + 1).trimmed());
            }
        }
    }
    return QSysInfo::currentCpuArchitecture();
}
} // namespace

QString histogramJson(const LatencyHistogram &h);

PhaseResult PhaseResult::from(const RequestTotals &totals, double seconds)
{
    PhaseResult phase;
    static_cast<RequestCounts &>(phase) = totals.counts;
    phase.durationS = seconds;
    phase.latency = totals.latency;
    phase.serviceLatency = totals.service;
    phase.staleAge = totals.staleAge;
    phase.l2RoundTrip = totals.l2RoundTrip;
    phase.invalidationDelay = totals.invalidationDelay;
    return phase;
}

QJsonObject PhaseResult::toJson() const
{
    QJsonObject o {
        {u"duration_s"_s, durationS},
        {u"requests_per_s"_s, requestsPerSecond()},
        {u"db_seconds"_s, dbSeconds()},
        {u"mean_us"_s, latency.mean() / 1000.0},
        {u"p50_us"_s, micros(latency.valueAtPercentile(50))},
        {u"p90_us"_s, micros(latency.valueAtPercentile(90))},
        {u"p99_us"_s, micros(latency.valueAtPercentile(99))},
        {u"p999_us"_s, micros(latency.valueAtPercentile(99.9))},
        {u"max_us"_s, micros(latency.max())},
    };
    writeJson(o);
    o.insert(u"latency_histogram"_s, histogramJson(latency));
    // Open model: latency above is the response time (from the intended start); the service time
    // (from the actual start) is given beside it.
    if (serviceLatency.count() > 0) {
        o.insert(u"service_p50_us"_s, micros(serviceLatency.valueAtPercentile(50)));
        o.insert(u"service_p90_us"_s, micros(serviceLatency.valueAtPercentile(90)));
        o.insert(u"service_p99_us"_s, micros(serviceLatency.valueAtPercentile(99)));
        o.insert(u"service_p999_us"_s, micros(serviceLatency.valueAtPercentile(99.9)));
        o.insert(u"service_max_us"_s, micros(serviceLatency.max()));
        o.insert(u"service_latency_histogram"_s, histogramJson(serviceLatency));
    }
    // Stale reads (db.version_column, writes in the workload): how old the stale rows were.
    if (staleAge.count() > 0) {
        o.insert(u"stale_age_p50_us"_s, micros(staleAge.valueAtPercentile(50)));
        o.insert(u"stale_age_p99_us"_s, micros(staleAge.valueAtPercentile(99)));
        o.insert(u"stale_age_max_us"_s, micros(staleAge.max()));
        o.insert(u"stale_age_histogram"_s, histogramJson(staleAge));
    }
    // A Redis L2: what an L2 lookup costs (a network round-trip), and how long after a write the
    // other instances' L1 heard of it.
    if (l2RoundTrip.count() > 0) {
        o.insert(u"l2_rtt_p50_us"_s, micros(l2RoundTrip.valueAtPercentile(50)));
        o.insert(u"l2_rtt_p99_us"_s, micros(l2RoundTrip.valueAtPercentile(99)));
        o.insert(u"l2_rtt_histogram"_s, histogramJson(l2RoundTrip));
    }
    if (invalidationDelay.count() > 0) {
        o.insert(u"invalidation_delay_p50_us"_s, micros(invalidationDelay.valueAtPercentile(50)));
        o.insert(u"invalidation_delay_p99_us"_s, micros(invalidationDelay.valueAtPercentile(99)));
        o.insert(u"invalidation_delay_histogram"_s, histogramJson(invalidationDelay));
    }
    return o;
}

namespace {
// What a result file must hold at \a key of \a json, or a ResultFormatError naming it.
QJsonValue required(const QJsonObject &json, const QString &key, const QString &where)
{
    QJsonValue v = json.value(key);
    if (v.isUndefined())
        throw ResultFormatError(u"%1: \"%2\" is missing"_s.arg(where, key));
    return v;
}

double number(const QJsonObject &json, const QString &key, const QString &where)
{
    const QJsonValue v = required(json, key, where);
    if (!v.isDouble())
        throw ResultFormatError(u"%1: \"%2\" is not a number"_s.arg(where, key));
    return v.toDouble();
}

QJsonObject object(const QJsonObject &json, const QString &key, const QString &where)
{
    const QJsonValue v = required(json, key, where);
    if (!v.isObject())
        throw ResultFormatError(u"%1: \"%2\" is not an object"_s.arg(where, key));
    return v.toObject();
}

LatencyHistogram histogramFrom(const QJsonObject &json, const QString &key, const QString &where)
{
    const QJsonValue v = json.value(key);
    if (v.isUndefined())
        throw ResultFormatError(u"%1: \"%2\" is missing (a result written before CacheScope kept its latency "
                                "histograms cannot be read back)"_s.arg(where, key));
    const QByteArray bytes = QByteArray::fromBase64(v.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    const std::optional<LatencyHistogram> h
        = LatencyHistogram::decode(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    if (!v.isString() || !h)
        throw ResultFormatError(u"%1: \"%2\" is not a latency histogram"_s.arg(where, key));
    return *h;
}

std::optional<Phase> phaseNamed(const QString &name)
{
    for (Phase p : {Phase::Baseline, Phase::Cached, Phase::Cold}) {
        if (phaseName(p) == name)
            return p;
    }
    return std::nullopt;
}

Phase phaseFrom(const QJsonObject &json, const QString &where)
{
    const QJsonValue v = required(json, u"phase"_s, where);
    const std::optional<Phase> p = phaseNamed(v.toString());
    if (!p)
        throw ResultFormatError(u"%1: \"phase\" is not baseline, cached or cold"_s.arg(where));
    return *p;
}
} // namespace

QString histogramJson(const LatencyHistogram &h)
{
    const std::vector<std::uint8_t> bytes = h.encode();
    return QString::fromLatin1(
        QByteArray(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size())).toBase64());
}

PhaseResult PhaseResult::fromJson(const QJsonObject &json)
{
    const QString where = u"phase"_s;
    PhaseResult p;
    static_cast<RequestCounts &>(p) = RequestCounts::fromJson(json);
    p.durationS = number(json, u"duration_s"_s, where);
    p.latency = histogramFrom(json, u"latency_histogram"_s, where);
    if (json.contains(u"service_latency_histogram"_s))
        p.serviceLatency = histogramFrom(json, u"service_latency_histogram"_s, where);
    if (json.contains(u"stale_age_histogram"_s))
        p.staleAge = histogramFrom(json, u"stale_age_histogram"_s, where);
    if (json.contains(u"l2_rtt_histogram"_s))
        p.l2RoundTrip = histogramFrom(json, u"l2_rtt_histogram"_s, where);
    if (json.contains(u"invalidation_delay_histogram"_s))
        p.invalidationDelay = histogramFrom(json, u"invalidation_delay_histogram"_s, where);
    return p;
}

QJsonObject snapshotToJson(const MetricsSnapshot &s)
{
    QJsonObject o {
        {u"phase"_s, phaseName(s.phase)},
        {u"t_s"_s, s.runTime},
        {u"phase_t_s"_s, s.phaseTime},
        {u"interval_s"_s, s.interval},
        {u"p50_us"_s, micros(s.p50Nanos)},
        {u"p99_us"_s, micros(s.p99Nanos)},
        {u"p999_us"_s, micros(s.p999Nanos)},
        {u"max_us"_s, micros(s.maxNanos)},
        {u"phase_requests"_s, qint64(s.phaseRequests)},
        {u"latency_sum_us"_s, micros(s.latencySumNanos)},
        {u"warmup"_s, s.warmup},
    };
    s.writeJson(o);
    if (s.staleAgeP99Nanos > 0)
        o.insert(u"stale_age_p99_us"_s, micros(s.staleAgeP99Nanos));
    if (s.l2RoundTripP50Nanos > 0) {
        o.insert(u"l2_rtt_p50_us"_s, micros(s.l2RoundTripP50Nanos));
        o.insert(u"l2_rtt_p99_us"_s, micros(s.l2RoundTripP99Nanos));
    }
    if (s.replicaLagNanos >= 0)
        o.insert(u"replica_lag_ms"_s, double(s.replicaLagNanos) / 1e6);
    if (s.replicaLagBytes >= 0)
        o.insert(u"replica_lag_bytes"_s, qint64(s.replicaLagBytes));
    return o;
}

MetricsSnapshot snapshotFromJson(const QJsonObject &json)
{
    const QString where = u"time_series"_s;
    MetricsSnapshot s;
    static_cast<RequestCounts &>(s) = RequestCounts::fromJson(json);
    s.phase = phaseFrom(json, where);
    s.runTime = number(json, u"t_s"_s, where);
    s.phaseTime = number(json, u"phase_t_s"_s, where);
    s.interval = number(json, u"interval_s"_s, where);
    const auto nanos
        = [&json](const QString &key) { return std::int64_t(std::llround(json.value(key).toDouble() * 1000.0)); };
    s.p50Nanos = nanos(u"p50_us"_s);
    s.p99Nanos = nanos(u"p99_us"_s);
    s.p999Nanos = nanos(u"p999_us"_s);
    s.maxNanos = nanos(u"max_us"_s);
    s.latencySumNanos = nanos(u"latency_sum_us"_s);
    s.phaseRequests = std::uint64_t(json.value(u"phase_requests"_s).toInteger());
    s.warmup = json.value(u"warmup"_s).toBool();
    s.staleAgeP99Nanos = nanos(u"stale_age_p99_us"_s);
    s.l2RoundTripP50Nanos = nanos(u"l2_rtt_p50_us"_s);
    s.l2RoundTripP99Nanos = nanos(u"l2_rtt_p99_us"_s);
    if (json.contains(u"replica_lag_ms"_s))
        s.replicaLagNanos = std::llround(json.value(u"replica_lag_ms"_s).toDouble() * 1e6);
    if (json.contains(u"replica_lag_bytes"_s))
        s.replicaLagBytes = json.value(u"replica_lag_bytes"_s).toInteger();
    return s;
}

std::optional<double> RunResult::kpi(const QString &key) const
{
    const auto it = kpis.constFind(key);
    return it == kpis.constEnd() ? std::nullopt : std::optional<double>(*it);
}

WarmupResult WarmupResult::fromJson(const QJsonObject &json)
{
    WarmupResult w;
    w.strategy = json.value(u"strategy"_s).toString();
    w.source = json.value(u"source"_s).toString();
    w.keysPlanned = json.value(u"keys_planned"_s).toInteger();
    w.keysLoaded = std::uint64_t(json.value(u"keys_loaded"_s).toInteger());
    w.keysAlreadyCached = std::uint64_t(json.value(u"keys_already_cached"_s).toInteger());
    w.keysMissing = std::uint64_t(json.value(u"keys_missing"_s).toInteger());
    w.keysFailed = std::uint64_t(json.value(u"keys_failed"_s).toInteger());
    w.keysNotRun = std::uint64_t(json.value(u"keys_not_run"_s).toInteger());
    w.statements = std::uint64_t(json.value(u"statements"_s).toInteger());
    w.durationS = json.value(u"duration_s"_s).toDouble();
    w.cancelled = json.value(u"cancelled"_s).toString();
    return w;
}

QJsonObject WarmupResult::toJson() const
{
    return QJsonObject {
        {u"strategy"_s, strategy},
        {u"source"_s, source},
        {u"keys_planned"_s, qint64(keysPlanned)},
        {u"keys_loaded"_s, qint64(keysLoaded)},
        {u"keys_already_cached"_s, qint64(keysAlreadyCached)},
        {u"keys_missing"_s, qint64(keysMissing)},
        {u"keys_failed"_s, qint64(keysFailed)},
        {u"keys_not_run"_s, qint64(keysNotRun)},
        {u"statements"_s, qint64(statements)},
        {u"duration_s"_s, durationS},
        {u"cancelled"_s, cancelled.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(cancelled)},
    };
}

KpiInputs RunResult::kpiInputs() const
{
    KpiInputs in;
    // The figures compared: whole phases, or the last segment of each when the run had changes.
    auto compared = [this](Phase phase, const std::optional<PhaseResult> &whole) -> std::optional<KpiPhase> {
        if (!whole)
            return std::nullopt;
        int count = 0;
        const PhaseResult *last = &*whole;
        for (const SegmentResult &segment : segments) {
            if (segment.phase == phase && !segment.warmup) {
                ++count;
                last = &segment.stats;
            }
        }
        const PhaseResult &p = count > 1 ? *last : *whole;
        KpiPhase k {p, p.durationS, p.latency.valueAtPercentile(50), p.latency.valueAtPercentile(99),
            p.latency.mean() * double(p.latency.count())};
        k.staleAgeP99Nanos = p.staleAge.valueAtPercentile(99);
        return k;
    };
    in.baseline = compared(Phase::Baseline, baseline);
    in.tuned = compared(Phase::Cached, cached);
    in.workers = workers;
    in.closedModel = scenario.workload.model == LoadModel::Closed && scenario.workload.thinkTime.count() == 0;
    if (transfer) {
        in.bytesProjected = double(transfer->bytesProjected);
        in.bytesFull = double(transfer->bytesFull);
    }
    if (coldStart && coldStartCold && warmup) {
        in.warmStartSeconds = coldStart->seconds;
        in.coldStartSeconds = coldStartCold->seconds;
    }
    return in;
}

void RunResult::evaluate()
{
    engineOverheadUs.reset();
    coldStart = cached ? measureColdStart(timeSeries, Phase::Cached) : std::nullopt;
    coldStartCold = cold ? measureColdStart(timeSeries, Phase::Cold) : std::nullopt;
    kpis.clear();
    const KpiInputs inputs = kpiInputs();
    for (const KpiDef &k : kpiTable()) {
        if (const std::optional<double> value = k.compute(inputs))
            kpis.insert(k.key, *value);
    }
    // Idle time (waiting for a simulated round-trip or thinking) is not the engine's cost: the
    // figure is only meaningful when the workers never wait.
    const bool workersNeverWait = scenario.db.rtt.count() == 0 && scenario.db.rttJitter.count() == 0
        && scenario.workload.thinkTime.count() == 0 && scenario.workload.model != LoadModel::Open;
    if (baseline && baseline->requests > 0 && workers > 0 && workersNeverWait) {
        const double busySeconds = baseline->durationS * workers;
        engineOverheadUs = std::max(0.0, busySeconds - baseline->dbSeconds()) / double(baseline->requests) * 1e6;
    }

    judgeCriteria();
}

namespace {
QJsonValue hitCostModelJson(const std::optional<HitCostModel> &m)
{
    if (!m)
        return QJsonValue::Null;
    return QJsonObject {{u"hit_share"_s, m->hitShare}, {u"hit_cost"_s, m->hitCost},
        {u"miss_cost"_s, m->missCost ? QJsonValue(*m->missCost) : QJsonValue(QJsonValue::Null)}, {u"bound"_s, m->bound},
        {u"efficiency"_s, m->efficiency}};
}
} // namespace

QJsonObject RunResult::toJson() const
{
    QJsonObject phases;
    phases.insert(u"baseline"_s, baseline ? QJsonValue(baseline->toJson()) : QJsonValue(QJsonValue::Null));
    phases.insert(u"cached"_s, cached ? QJsonValue(cached->toJson()) : QJsonValue(QJsonValue::Null));
    if (cold)
        phases.insert(u"cold"_s, cold->toJson());
    const auto coldStartJson = [](const std::optional<ColdStart> &c) -> QJsonValue {
        if (!c)
            return QJsonValue::Null;
        return QJsonObject {
            {u"seconds"_s, c->seconds}, {u"steady_hit_rate"_s, c->steadyHitRate}, {u"threshold"_s, c->threshold}};
    };

    QJsonArray criteriaJson;
    for (const CriterionResult &r : criteria)
        criteriaJson.append(r.toJson());

    QJsonArray series;
    for (const MetricsSnapshot &s : timeSeries)
        series.append(snapshotToJson(s));

    QJsonArray segmentsJson;
    for (const SegmentResult &segment : segments) {
        QJsonObject o = segment.stats.toJson();
        o.insert(u"phase"_s, phaseName(segment.phase));
        o.insert(u"start_s"_s, segment.startS);
        o.insert(u"end_s"_s, segment.endS);
        o.insert(u"change"_s, segment.change.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(segment.change));
        o.insert(u"warmup"_s, segment.warmup);
        segmentsJson.append(o);
    }

    QJsonObject kpiJson;
    for (const KpiDef &k : kpiTable())
        kpiJson.insert(k.key, optionalNumber(kpi(k.key)));

    return QJsonObject {
        {u"format_version"_s, 1},
        {u"scenario"_s, scenario.toPublicJson()},
        {u"environment"_s, environment},
        {u"database"_s, databasePath},
        {u"keys_used"_s, qint64(keysUsed)},
        {u"workers"_s, workers},
        {u"phases"_s, phases},
        {u"segments"_s, segmentsJson},
        {u"time_series"_s, series},
        {u"kpis"_s, kpiJson},
        {u"engine_overhead_us_per_request"_s, optionalNumber(engineOverheadUs)},
        {u"hit_cost_model"_s, hitCostModelJson(HitCostModel::of(kpiInputs()))},
        {u"transfer"_s, transfer ? QJsonValue(transfer->toJson()) : QJsonValue(QJsonValue::Null)},
        {u"cold_start"_s,
            QJsonObject {{u"cached"_s, coldStartJson(coldStart)}, {u"cold"_s, coldStartJson(coldStartCold)},
                {u"window_s"_s, 1.0}, {u"reach"_s, 0.9}}},
        {u"warmup"_s, warmup ? QJsonValue(warmup->toJson()) : QJsonValue(QJsonValue::Null)},
        {u"suggested_warmup_keys"_s, qint64(suggestedWarmupKeys)},
        {u"hot_set_snapshot"_s, hotSetSnapshot.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(hotSetSnapshot)},
        {u"criteria"_s, criteriaJson},
        {u"notes"_s, QJsonArray::fromStringList(notes)},
        {u"stopped"_s, stopped},
        {u"finished_at"_s,
            finishedAt.isValid() ? QJsonValue(finishedAt.toUTC().toString(Qt::ISODateWithMs))
                                 : QJsonValue(QJsonValue::Null)},
        {u"error"_s, error.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(error)},
        {u"passed"_s, passed},
        {u"verdict"_s, verdictName(verdict)},
    };
}

RunResult RunResult::fromJson(const QJsonObject &json)
{
    const QString where = u"result"_s;
    if (json.value(u"format_version"_s).toInt() != 1)
        throw ResultFormatError(u"not a CacheScope result (format_version 1)"_s);
    RunResult r;
    try {
        r.scenario = Scenario::fromJson(object(json, u"scenario"_s, where));
    } catch (const ScenarioError &e) {
        throw ResultFormatError(u"result: its scenario: %1"_s.arg(QString::fromUtf8(e.what())));
    }
    r.environment = json.value(u"environment"_s).toObject();
    r.databasePath = json.value(u"database"_s).toString();
    r.keysUsed = json.value(u"keys_used"_s).toInteger();
    r.workers = json.value(u"workers"_s).toInt();
    const QJsonObject phases = object(json, u"phases"_s, where);
    const auto phase = [&phases](const QString &name) -> std::optional<PhaseResult> {
        const QJsonValue v = phases.value(name);
        if (!v.isObject())
            return std::nullopt;
        try {
            return PhaseResult::fromJson(v.toObject());
        } catch (const ResultFormatError &e) {
            throw ResultFormatError(e.message().replace(0, 5, u"phases.%1"_s.arg(name)));
        }
    };
    r.baseline = phase(u"baseline"_s);
    r.cached = phase(u"cached"_s);
    r.cold = phase(u"cold"_s);
    const QJsonArray segmentsJson = json.value(u"segments"_s).toArray();
    for (const auto &v : segmentsJson) {
        const QJsonObject o = v.toObject();
        SegmentResult segment;
        segment.phase = phaseFrom(o, u"segments"_s);
        segment.startS = number(o, u"start_s"_s, u"segments"_s);
        segment.endS = number(o, u"end_s"_s, u"segments"_s);
        segment.change = o.value(u"change"_s).toString();
        segment.warmup = o.value(u"warmup"_s).toBool();
        segment.stats = PhaseResult::fromJson(o);
        r.segments.append(segment);
    }
    const QJsonArray series = json.value(u"time_series"_s).toArray();
    r.timeSeries.reserve(series.size());
    for (const auto &v : series)
        r.timeSeries.append(snapshotFromJson(v.toObject()));
    if (const QJsonValue t = json.value(u"transfer"_s); t.isObject()) {
        const QJsonObject o = t.toObject();
        TransferMeasurement m;
        m.fields = o.value(u"fields"_s).toString();
        m.requests = std::uint64_t(o.value(u"requests"_s).toInteger());
        m.rowsFound = std::uint64_t(o.value(u"rows_found"_s).toInteger());
        m.bytesProjected = std::uint64_t(o.value(u"bytes_read_projected"_s).toInteger());
        m.bytesFull = std::uint64_t(o.value(u"bytes_read_full"_s).toInteger());
        m.entryBytesProjected = std::uint64_t(o.value(u"cache_bytes_projected"_s).toInteger());
        m.entryBytesFull = std::uint64_t(o.value(u"cache_bytes_full"_s).toInteger());
        m.secondsProjected = o.value(u"db_seconds_projected"_s).toDouble();
        m.secondsFull = o.value(u"db_seconds_full"_s).toDouble();
        r.transfer = m;
    }
    if (const QJsonValue w = json.value(u"warmup"_s); w.isObject())
        r.warmup = WarmupResult::fromJson(w.toObject());
    r.suggestedWarmupKeys = json.value(u"suggested_warmup_keys"_s).toInteger();
    r.hotSetSnapshot = json.value(u"hot_set_snapshot"_s).toString();
    const QJsonArray notesJson = json.value(u"notes"_s).toArray();
    for (const auto &v : notesJson)
        r.notes.append(v.toString());
    r.stopped = json.value(u"stopped"_s).toBool();
    if (const QJsonValue when = json.value(u"finished_at"_s); when.isString()) {
        r.finishedAt = QDateTime::fromString(when.toString(), Qt::ISODateWithMs);
        if (!r.finishedAt.isValid())
            throw ResultFormatError(u"finished_at: '%1' is not an ISO 8601 time"_s.arg(when.toString()));
    }
    r.error = json.value(u"error"_s).toString();
    r.evaluate();
    return r;
}

QJsonObject collectEnvironment()
{
    return QJsonObject {
        {u"cpu"_s, cpuModel()},
        {u"cores"_s, QThread::idealThreadCount()},
        {u"os"_s, QSysInfo::prettyProductName()},
        {u"kernel"_s, QSysInfo::kernelVersion()},
        {u"qt"_s, QString::fromLatin1(qVersion())},
        {u"sqlite"_s, sqliteVersion()},
        {u"libpq"_s, libpqVersion()},
        {u"qcoro"_s, QStringLiteral(CACHESCOPE_QCORO_VERSION)},
        {u"cachescope"_s, buildinfo::version()},
        {u"commit"_s, buildinfo::commit()},
        {u"request_timer"_s, TickClock::usesTsc() ? u"tsc"_s : u"steady_clock"_s},
#ifdef NDEBUG
        {u"build"_s, u"release"_s},
#else
        {u"build"_s, u"debug"_s},
#endif
    };
}

} // namespace cachescope
