#include "core/scenario/scenario.h"
#include "core/scenario/scenario_p.h"

#include "core/cache/evictionpolicy.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QThread>

#include <cmath>
#include <functional>
#include <limits>

using namespace Qt::StringLiterals;

namespace cachescope {

std::optional<std::chrono::nanoseconds> parseDuration(const QString &text)
{
    static const QRegularExpression pattern(u"^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ns|us|µs|ms|s|m|h)?\\s*$"_s);
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const double value = match.captured(1).toDouble();
    const QString unit = match.captured(2);
    double scale = 1e9;
    if (unit == u"ns"_s)
        scale = 1;
    else if (unit == u"us"_s || unit == u"µs"_s)
        scale = 1e3;
    else if (unit == u"ms"_s)
        scale = 1e6;
    else if (unit == u"m"_s)
        scale = 60e9;
    else if (unit == u"h"_s)
        scale = 3600e9;
    const double nanos = value * scale;
    if (!std::isfinite(nanos) || nanos > 1e18)
        return std::nullopt;
    return std::chrono::nanoseconds(std::llround(nanos));
}

QString formatDuration(std::chrono::nanoseconds duration)
{
    const std::int64_t ns = duration.count();
    struct Unit {
        std::int64_t nanos;
        const char16_t *name;
    };
    static constexpr Unit units[]
        = {{3600'000'000'000, u"h"}, {60'000'000'000, u"m"}, {1'000'000'000, u"s"}, {1'000'000, u"ms"}, {1'000, u"us"}};
    if (ns == 0)
        return u"0s"_s;
    for (const Unit &unit : units) {
        if (ns % unit.nanos == 0)
            return QString::number(ns / unit.nanos) + QString::fromUtf16(unit.name);
    }
    return QString::number(ns) + u"ns"_s;
}

namespace {

enum class Kind { Integer, Number, Duration, Text, Choice };

struct Setting {
    QString key;
    Kind kind;
    QString help;
    double min = 0; // integers and numbers
    double max = 0;
    QStringList choices; // Choice
    std::function<QJsonValue(const Scenario &)> get;
    std::function<void(Scenario &, const QJsonValue &)> put; // receives an already validated value
};

QString kindName(Kind kind)
{
    switch (kind) {
    case Kind::Integer:
        return u"integer"_s;
    case Kind::Number:
        return u"number"_s;
    case Kind::Duration:
        return u"duration"_s;
    case Kind::Text:
        return u"text"_s;
    case Kind::Choice:
        return u"choice"_s;
    }
    return {};
}

const QList<Setting> &settingTable()
{
    using D = Scenario::Duration;
    auto durationValue = [](D d) { return QJsonValue(formatDuration(d)); };
    auto asDuration = [](const QJsonValue &v) { return D(std::llround(v.toDouble())); };
    static const QList<Setting> table {
        {u"db.path"_s, Kind::Text, u"SQLite database file (empty: the demo database)"_s, 0, 0, {},
            [](const Scenario &s) { return QJsonValue(s.dbPath); },
            [](Scenario &s, const QJsonValue &v) { s.dbPath = v.toString(); }},
        {u"db.table"_s, Kind::Text, u"table to read"_s, 0, 0, {},
            [](const Scenario &s) { return QJsonValue(s.dbTable); },
            [](Scenario &s, const QJsonValue &v) { s.dbTable = v.toString(); }},
        {u"db.key"_s, Kind::Text, u"integer key column of the table"_s, 0, 0, {},
            [](const Scenario &s) { return QJsonValue(s.dbKey); },
            [](Scenario &s, const QJsonValue &v) { s.dbKey = v.toString(); }},
        {u"db.rtt"_s, Kind::Duration,
            u"simulated network round-trip added to every database statement (awaited, not slept)"_s, 0, 0, {},
            [=](const Scenario &s) { return durationValue(s.dbRtt); },
            [=](Scenario &s, const QJsonValue &v) { s.dbRtt = asDuration(v); }},
        {u"db.rtt_jitter"_s, Kind::Duration, u"each round-trip varies uniformly by up to ± this (at least 0)"_s, 0, 0,
            {}, [=](const Scenario &s) { return durationValue(s.dbRttJitter); },
            [=](Scenario &s, const QJsonValue &v) { s.dbRttJitter = asDuration(v); }},
        {u"db.retries"_s, Kind::Integer,
            u"extra attempts of a statement that failed with a retryable error (busy, locked, I/O)"_s, 0, 100, {},
            [](const Scenario &s) { return QJsonValue(s.dbRetries); },
            [](Scenario &s, const QJsonValue &v) { s.dbRetries = int(v.toDouble()); }},
        {u"db.retry_backoff"_s, Kind::Duration,
            u"base of the exponential backoff between attempts (full jitter, at most 100 ms)"_s, 0, 0, {},
            [=](const Scenario &s) { return durationValue(s.dbRetryBackoff); },
            [=](Scenario &s, const QJsonValue &v) { s.dbRetryBackoff = asDuration(v); }},
        {u"db.connections"_s, Kind::Integer,
            u"database connections per worker thread: statements (with their round-trip) in flight at once; 0 = no "
            "limit"_s,
            0, 4096, {}, [](const Scenario &s) { return QJsonValue(s.dbConnections); },
            [](Scenario &s, const QJsonValue &v) { s.dbConnections = int(v.toDouble()); }},
        {u"db.failure_rate"_s, Kind::Number, u"share of database statements that fail (simulated, seeded)"_s, 0, 1, {},
            [](const Scenario &s) { return QJsonValue(s.dbFailureRate); },
            [](Scenario &s, const QJsonValue &v) { s.dbFailureRate = v.toDouble(); }},
        {u"db.stall"_s, Kind::Duration,
            u"a stall of the database connection (it blocks, like a lock wait) every db.stall_every statements"_s, 0, 0,
            {}, [=](const Scenario &s) { return durationValue(s.dbStall); },
            [=](Scenario &s, const QJsonValue &v) { s.dbStall = asDuration(v); }},
        {u"db.stall_every"_s, Kind::Integer, u"statements of a connection between two stalls (0 = no stalls)"_s, 0,
            1'000'000'000, {}, [](const Scenario &s) { return QJsonValue(qint64(s.dbStallEvery)); },
            [](Scenario &s, const QJsonValue &v) { s.dbStallEvery = std::int64_t(v.toDouble()); }},
        {u"workload.distribution"_s, Kind::Choice, u"key popularity"_s, 0, 0,
            {u"zipf"_s, u"uniform"_s, u"hotspot"_s, u"shifting"_s, u"trace"_s},
            [](const Scenario &s) { return QJsonValue(s.distribution); },
            [](Scenario &s, const QJsonValue &v) { s.distribution = v.toString(); }},
        {u"workload.hot_keys"_s, Kind::Number, u"hotspot/shifting: share of the keys that are hot"_s, 0.000001, 1, {},
            [](const Scenario &s) { return QJsonValue(s.hotKeys); },
            [](Scenario &s, const QJsonValue &v) { s.hotKeys = v.toDouble(); }},
        {u"workload.hot_requests"_s, Kind::Number, u"hotspot/shifting: share of the requests that go to the hot keys"_s,
            0.000001, 1, {}, [](const Scenario &s) { return QJsonValue(s.hotRequests); },
            [](Scenario &s, const QJsonValue &v) { s.hotRequests = v.toDouble(); }},
        {u"workload.shift_every"_s, Kind::Duration, u"shifting: the hot set moves to the next keys this often"_s, 0, 0,
            {}, [=](const Scenario &s) { return durationValue(s.shiftEvery); },
            [=](Scenario &s, const QJsonValue &v) { s.shiftEvery = asDuration(v); }},
        {u"workload.trace"_s, Kind::Text, u"trace: a key trace file (the formats of cachescope simulate)"_s, 0, 0, {},
            [](const Scenario &s) { return QJsonValue(s.trace); },
            [](Scenario &s, const QJsonValue &v) { s.trace = v.toString(); }},
        {u"workload.trace_format"_s, Kind::Choice, u"trace: keys (one per line) or csv"_s, 0, 0, {u"keys"_s, u"csv"_s},
            [](const Scenario &s) { return QJsonValue(s.traceFormat); },
            [](Scenario &s, const QJsonValue &v) { s.traceFormat = v.toString(); }},
        {u"workload.trace_column"_s, Kind::Integer, u"trace: the key's column in a CSV trace (1-based)"_s, 1, 10000, {},
            [](const Scenario &s) { return QJsonValue(s.traceColumn); },
            [](Scenario &s, const QJsonValue &v) { s.traceColumn = int(v.toDouble()); }},
        {u"workload.zipf"_s, Kind::Number, u"Zipf exponent (0 = uniform)"_s, 0, 5, {},
            [](const Scenario &s) { return QJsonValue(s.zipf); },
            [](Scenario &s, const QJsonValue &v) { s.zipf = v.toDouble(); }},
        {u"workload.keys"_s, Kind::Integer, u"distinct keys drawn from the table"_s, 1, 50'000'000, {},
            [](const Scenario &s) { return QJsonValue(qint64(s.keys)); },
            [](Scenario &s, const QJsonValue &v) { s.keys = std::int64_t(v.toDouble()); }},
        {u"workload.seed"_s, Kind::Integer, u"seed of every random choice"_s, 0, 9'007'199'254'740'991.0, {},
            [](const Scenario &s) { return QJsonValue(qint64(s.seed)); },
            [](Scenario &s, const QJsonValue &v) { s.seed = std::uint64_t(v.toDouble()); }},
        {u"workload.model"_s, Kind::Choice,
            u"load model: closed (N clients back to back) or open (arrivals at workload.rate, latency from each "
            "request's intended start)"_s,
            0, 0, {u"closed"_s, u"open"_s}, [](const Scenario &s) { return QJsonValue(s.model); },
            [](Scenario &s, const QJsonValue &v) { s.model = v.toString(); }},
        {u"workload.rate"_s, Kind::Number, u"open model: target requests per second, all clients together"_s, 1,
            10'000'000, {}, [](const Scenario &s) { return QJsonValue(s.rate); },
            [](Scenario &s, const QJsonValue &v) { s.rate = v.toDouble(); }},
        {u"workload.arrival"_s, Kind::Choice, u"open model: poisson (exponential gaps) or constant arrivals"_s, 0, 0,
            {u"poisson"_s, u"constant"_s}, [](const Scenario &s) { return QJsonValue(s.arrival); },
            [](Scenario &s, const QJsonValue &v) { s.arrival = v.toString(); }},
        {u"workload.concurrency"_s, Kind::Integer, u"concurrent clients"_s, 1, 4096, {},
            [](const Scenario &s) { return QJsonValue(s.concurrency); },
            [](Scenario &s, const QJsonValue &v) { s.concurrency = int(v.toDouble()); }},
        {u"workload.read_ratio"_s, Kind::Number,
            u"share of requests that are reads; the rest write their row (the database is then opened for writing)"_s,
            0, 1, {}, [](const Scenario &s) { return QJsonValue(s.readRatio); },
            [](Scenario &s, const QJsonValue &v) { s.readRatio = v.toDouble(); }},
        {u"workload.think_time"_s, Kind::Duration, u"closed model: each client's pause between two requests"_s, 0, 0,
            {}, [=](const Scenario &s) { return durationValue(s.thinkTime); },
            [=](Scenario &s, const QJsonValue &v) { s.thinkTime = asDuration(v); }},
        {u"workload.fields"_s, Kind::Text,
            u"projection: comma-separated column names, checked against the table (empty: all columns)"_s, 0, 0, {},
            [](const Scenario &s) { return QJsonValue(s.fields); },
            [](Scenario &s, const QJsonValue &v) { s.fields = v.toString(); }},
        {u"cache.l1.capacity"_s, Kind::Integer, u"L1 size in entries"_s, 0, 100'000'000, {},
            [](const Scenario &s) { return QJsonValue(qint64(s.l1Capacity)); },
            [](Scenario &s, const QJsonValue &v) { s.l1Capacity = std::int64_t(v.toDouble()); }},
        {u"cache.l1.ttl"_s, Kind::Duration, u"L1 time to live (0 = no expiry)"_s, 0, 0, {},
            [durationValue](const Scenario &s) { return durationValue(s.l1Ttl); },
            [asDuration](Scenario &s, const QJsonValue &v) { s.l1Ttl = asDuration(v); }},
        {u"cache.l1.policy"_s, Kind::Choice, u"L1 eviction policy"_s, 0, 0, EvictionPolicy::names(),
            [](const Scenario &s) { return QJsonValue(s.l1Policy); },
            [](Scenario &s, const QJsonValue &v) { s.l1Policy = v.toString(); }},
        {u"cache.l1.max_bytes"_s, Kind::Integer, u"L1 byte limit, key + value + overhead per entry (0 = none)"_s, 0,
            1e15, {}, [](const Scenario &s) { return QJsonValue(qint64(s.l1MaxBytes)); },
            [](Scenario &s, const QJsonValue &v) { s.l1MaxBytes = std::int64_t(v.toDouble()); }},
        {u"cache.ttl_jitter"_s, Kind::Number, u"random share taken off each entry's TTL (spreads expiry)"_s, 0, 0.5, {},
            [](const Scenario &s) { return QJsonValue(s.ttlJitter); },
            [](Scenario &s, const QJsonValue &v) { s.ttlJitter = v.toDouble(); }},
        {u"cache.l2.capacity"_s, Kind::Integer, u"L2 size in entries (0 = no L2)"_s, 0, 100'000'000, {},
            [](const Scenario &s) { return QJsonValue(qint64(s.l2Capacity)); },
            [](Scenario &s, const QJsonValue &v) { s.l2Capacity = std::int64_t(v.toDouble()); }},
        {u"cache.l2.ttl"_s, Kind::Duration, u"L2 time to live (0 = no expiry)"_s, 0, 0, {},
            [durationValue](const Scenario &s) { return durationValue(s.l2Ttl); },
            [asDuration](Scenario &s, const QJsonValue &v) { s.l2Ttl = asDuration(v); }},
        {u"cache.l2.policy"_s, Kind::Choice, u"L2 eviction policy"_s, 0, 0, EvictionPolicy::names(),
            [](const Scenario &s) { return QJsonValue(s.l2Policy); },
            [](Scenario &s, const QJsonValue &v) { s.l2Policy = v.toString(); }},
        {u"cache.l2.max_bytes"_s, Kind::Integer, u"L2 byte limit (0 = none)"_s, 0, 1e15, {},
            [](const Scenario &s) { return QJsonValue(qint64(s.l2MaxBytes)); },
            [](Scenario &s, const QJsonValue &v) { s.l2MaxBytes = std::int64_t(v.toDouble()); }},
        {u"cache.mode"_s, Kind::Choice, u"L2 inclusive (holds what L1 holds) or exclusive (holds what L1 evicted)"_s, 0,
            0, {u"inclusive"_s, u"exclusive"_s}, [](const Scenario &s) { return QJsonValue(s.cacheMode); },
            [](Scenario &s, const QJsonValue &v) { s.cacheMode = v.toString(); }},
        {u"cache.write_policy"_s, Kind::Choice, u"what a write does to the cached copy"_s, 0, 0,
            {u"invalidate"_s, u"write-through"_s}, [](const Scenario &s) { return QJsonValue(s.writePolicy); },
            [](Scenario &s, const QJsonValue &v) { s.writePolicy = v.toString(); }},
        {u"cache.batch_loads"_s, Kind::Choice,
            u"coalesce misses arriving within cache.batch_window into one IN (...) statement per worker"_s, 0, 0,
            {u"false"_s, u"true"_s}, [](const Scenario &s) { return QJsonValue(s.batchLoads); },
            [](Scenario &s, const QJsonValue &v) { s.batchLoads = v.toString(); }},
        {u"cache.batch_window"_s, Kind::Duration, u"how long a batch gathers loads before it is sent"_s, 0, 0, {},
            [=](const Scenario &s) { return durationValue(s.batchWindow); },
            [=](Scenario &s, const QJsonValue &v) { s.batchWindow = asDuration(v); }},
        {u"cache.batch_max"_s, Kind::Integer, u"largest batch (a full batch is sent at once)"_s, 1, 500, {},
            [](const Scenario &s) { return QJsonValue(s.batchMax); },
            [](Scenario &s, const QJsonValue &v) { s.batchMax = int(v.toDouble()); }},
        {u"duration.baseline"_s, Kind::Duration, u"length of the uncached baseline phase"_s, 0, 0, {},
            [durationValue](const Scenario &s) { return durationValue(s.baselineDuration); },
            [asDuration](Scenario &s, const QJsonValue &v) { s.baselineDuration = asDuration(v); }},
        {u"duration.cached"_s, Kind::Duration, u"length of the cached phase"_s, 0, 0, {},
            [durationValue](const Scenario &s) { return durationValue(s.cachedDuration); },
            [asDuration](Scenario &s, const QJsonValue &v) { s.cachedDuration = asDuration(v); }},
        {u"duration.warmup"_s, Kind::Duration,
            u"run before each phase's measured part and left out of its figures (connections, page cache, JIT of the "
            "host)"_s,
            0, 0, {}, [=](const Scenario &s) { return durationValue(s.warmupDuration); },
            [=](Scenario &s, const QJsonValue &v) { s.warmupDuration = asDuration(v); }},
        {u"warmup.strategy"_s, Kind::Choice,
            u"keys loaded into the cache when the cached phase starts: none, the top N of the last hot-set snapshot, "
            "a keys file, or a query ordered by columns"_s,
            0, 0, {u"none"_s, u"top-n"_s, u"keys-file"_s, u"query"_s},
            [](const Scenario &s) { return QJsonValue(s.warmupStrategy); },
            [](Scenario &s, const QJsonValue &v) { s.warmupStrategy = v.toString(); }},
        {u"warmup.keys"_s, Kind::Integer, u"most keys a warm-up loads (N of top-n and query; the file's first N)"_s, 1,
            10'000'000, {}, [](const Scenario &s) { return QJsonValue(qint64(s.warmupKeys)); },
            [](Scenario &s, const QJsonValue &v) { s.warmupKeys = std::int64_t(v.toDouble()); }},
        {u"warmup.keys_file"_s, Kind::Text, u"keys-file: one integer key per line, hottest first"_s, 0, 0, {},
            [](const Scenario &s) { return QJsonValue(s.warmupKeysFile); },
            [](Scenario &s, const QJsonValue &v) { s.warmupKeysFile = v.toString(); }},
        {u"warmup.order_by"_s, Kind::Text,
            u"query: \"column [asc|desc], ...\" of the table — SELECT key ... ORDER BY it LIMIT warmup.keys"_s, 0, 0,
            {}, [](const Scenario &s) { return QJsonValue(s.warmupOrderBy); },
            [](Scenario &s, const QJsonValue &v) { s.warmupOrderBy = v.toString(); }},
        {u"warmup.max_time"_s, Kind::Duration, u"time budget of a warm-up; what is left is skipped (0 = none)"_s, 0, 0,
            {}, [=](const Scenario &s) { return durationValue(s.warmupMaxTime); },
            [=](Scenario &s, const QJsonValue &v) { s.warmupMaxTime = asDuration(v); }},
        {u"warmup.concurrency"_s, Kind::Integer, u"warm-up statements in flight at once (all engine threads)"_s, 1, 256,
            {}, [](const Scenario &s) { return QJsonValue(s.warmupConcurrency); },
            [](Scenario &s, const QJsonValue &v) { s.warmupConcurrency = int(v.toDouble()); }},
        {u"warmup.batch"_s, Kind::Integer, u"keys per warm-up statement (one IN (...))"_s, 1, 500, {},
            [](const Scenario &s) { return QJsonValue(s.warmupBatch); },
            [](Scenario &s, const QJsonValue &v) { s.warmupBatch = int(v.toDouble()); }},
        {u"warmup.priority"_s, Kind::Choice,
            u"background: live requests go first (connections, event loop); foreground: warm-up competes as equal"_s, 0,
            0, {u"background"_s, u"foreground"_s}, [](const Scenario &s) { return QJsonValue(s.warmupPriority); },
            [](Scenario &s, const QJsonValue &v) { s.warmupPriority = v.toString(); }},
        {u"warmup.auto"_s, Kind::Choice,
            u"true: warm up as many keys as the last run suggested (covering warmup.coverage of its reads)"_s, 0, 0,
            {u"false"_s, u"true"_s}, [](const Scenario &s) { return QJsonValue(s.warmupAuto); },
            [](Scenario &s, const QJsonValue &v) { s.warmupAuto = v.toString(); }},
        {u"warmup.coverage"_s, Kind::Number, u"share of reads the suggested warm-up size should cover"_s, 0.01, 1.0, {},
            [](const Scenario &s) { return QJsonValue(s.warmupCoverage); },
            [](Scenario &s, const QJsonValue &v) { s.warmupCoverage = v.toDouble(); }},
        {u"warmup.compare"_s, Kind::Choice,
            u"true: with a warm-up, run the cached phase cold first (same seed) to measure the cold-start reduction"_s,
            0, 0, {u"true"_s, u"false"_s}, [](const Scenario &s) { return QJsonValue(s.warmupCompare); },
            [](Scenario &s, const QJsonValue &v) { s.warmupCompare = v.toString(); }},
        {u"warmup.snapshot"_s, Kind::Text,
            u"hot-set snapshot file read by top-n and written after each run (empty: one per table in the user's data "
            "folder)"_s,
            0, 0, {}, [](const Scenario &s) { return QJsonValue(s.warmupSnapshot); },
            [](Scenario &s, const QJsonValue &v) { s.warmupSnapshot = v.toString(); }},
        {u"engine.workers"_s, Kind::Integer, u"engine worker threads (0 = one per core)"_s, 0, 256, {},
            [](const Scenario &s) { return QJsonValue(s.workers); },
            [](Scenario &s, const QJsonValue &v) { s.workers = int(v.toDouble()); }},
        {u"engine.metrics"_s, Kind::Choice,
            u"on: every request timed into the latency histograms; off: counts only (to measure what timing costs)"_s,
            0, 0, {u"on"_s, u"off"_s}, [](const Scenario &s) { return QJsonValue(s.metrics); },
            [](Scenario &s, const QJsonValue &v) { s.metrics = v.toString(); }},
    };
    return table;
}

const Setting *findSetting(const QString &key)
{
    for (const Setting &setting : settingTable()) {
        if (setting.key == key)
            return &setting;
    }
    return nullptr;
}

QStringList settingKeys()
{
    QStringList keys;
    for (const Setting &setting : settingTable())
        keys.append(setting.key);
    return keys;
}

// Turns a value (text from --set, or any JSON value from a file) into the JSON value put() takes.
QJsonValue validated(const Setting &setting, const QJsonValue &raw)
{
    const auto fail = [&](const QString &why) -> QJsonValue {
        const QString shown = raw.isString()
            ? u"'"_s + raw.toString() + u"'"_s
            : QString::fromUtf8(QJsonDocument(QJsonArray {raw}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
        throw ScenarioError(setting.key + u": "_s + shown + u" is not valid: "_s + why);
    };
    switch (setting.kind) {
    case Kind::Integer:
    case Kind::Number: {
        double value = 0;
        bool ok = false;
        if (raw.isDouble()) {
            value = raw.toDouble();
            ok = true;
        } else if (raw.isString()) {
            value = raw.toString().trimmed().toDouble(&ok);
        }
        if (!ok || !std::isfinite(value))
            return fail(setting.kind == Kind::Integer ? u"expected an integer"_s : u"expected a number"_s);
        if (setting.kind == Kind::Integer && value != std::floor(value))
            return fail(u"expected an integer"_s);
        if (value < setting.min || value > setting.max)
            return fail(u"must be between %1 and %2"_s.arg(setting.min, 0, 'g', 17).arg(setting.max, 0, 'g', 17));
        return QJsonValue(value);
    }
    case Kind::Duration: {
        std::optional<std::chrono::nanoseconds> d;
        if (raw.isDouble() && raw.toDouble() >= 0)
            d = parseDuration(QString::number(raw.toDouble(), 'f', 9));
        else if (raw.isString())
            d = parseDuration(raw.toString());
        if (!d)
            return fail(u"expected a duration such as 250us, 5ms, 30s or 2m"_s);
        return QJsonValue(double(d->count()));
    }
    case Kind::Text:
        if (!raw.isString())
            return fail(u"expected text"_s);
        return raw;
    case Kind::Choice:
        if (!raw.isString() || !setting.choices.contains(raw.toString()))
            return fail(u"expected one of: "_s + setting.choices.join(u", "_s));
        return raw;
    }
    return fail(u"unsupported"_s);
}

} // namespace

int Scenario::effectiveWorkers() const
{
    return workers > 0 ? workers : std::max(1, QThread::idealThreadCount());
}

QList<Criterion> Scenario::defaultCriteria()
{
    return {
        {u"cache hit rate"_s, u"hit_rate"_s, u">="_s, 0.99},
        {u"database queries reduced"_s, u"db_query_reduction"_s, u">="_s, 0.70},
        {u"throughput vs baseline"_s, u"throughput_ratio"_s, u">="_s, 5.0},
        {u"response time (p50) reduced"_s, u"p50_reduction"_s, u">="_s, 0.50},
        {u"bytes transferred reduced (projection)"_s, u"transfer_reduction"_s, u">="_s, 0.20},
        {u"cold-start time reduced (warm-up)"_s, u"cold_start_reduction"_s, u">="_s, 0.50},
    };
}

void Scenario::set(const QString &key, const QString &value)
{
    const Setting *setting = findSetting(key);
    if (!setting)
        throw ScenarioError(u"unknown setting '"_s + key + u"' (known: "_s + settingKeys().join(u", "_s) + u')');
    setting->put(*this, validated(*setting, QJsonValue(value)));
}

void Scenario::applyAssignment(const QString &assignment)
{
    const qsizetype eq = assignment.indexOf(u'=');
    if (eq <= 0)
        throw ScenarioError(u"--set expects KEY=VALUE, got '"_s + assignment + u"'"_s);
    set(assignment.left(eq).trimmed(), assignment.mid(eq + 1));
}

QJsonObject Scenario::toJson() const
{
    QJsonObject root;
    for (const Setting &setting : settingTable()) {
        const QStringList path = setting.key.split(u'.');
        // Build nested objects along the path (depth ≤ 3 in the table).
        std::function<void(QJsonObject &, qsizetype)> put = [&](QJsonObject &obj, qsizetype i) {
            if (i == path.size() - 1) {
                obj.insert(path[i], setting.get(*this));
                return;
            }
            QJsonObject child = obj.value(path[i]).toObject();
            put(child, i + 1);
            obj.insert(path[i], child);
        };
        put(root, 0);
    }
    QJsonArray list;
    for (const Criterion &c : criteria)
        list.append(QJsonObject {{u"name"_s, c.name}, {u"kpi"_s, c.kpi}, {u"op"_s, c.op}, {u"target"_s, c.target}});
    root.insert(u"criteria"_s, list);
    QJsonArray changeList;
    for (const ScheduledChange &c : changes) {
        changeList.append(QJsonObject {
            {u"phase"_s, c.phase}, {u"at"_s, formatDuration(c.at)}, {u"set"_s, QJsonArray::fromStringList(c.set)}});
    }
    root.insert(u"changes"_s, changeList);
    return root;
}

QStringList Scenario::liveKeys()
{
    return {u"cache.l1.capacity"_s, u"cache.l1.ttl"_s, u"cache.l1.policy"_s, u"cache.l1.max_bytes"_s,
        u"cache.l2.capacity"_s, u"cache.l2.ttl"_s, u"cache.l2.policy"_s, u"cache.l2.max_bytes"_s, u"cache.mode"_s,
        u"cache.write_policy"_s, u"cache.ttl_jitter"_s, u"workload.concurrency"_s, u"workload.think_time"_s,
        u"db.rtt"_s, u"db.rtt_jitter"_s, u"db.failure_rate"_s, u"workload.rate"_s};
}

Scenario Scenario::fromJson(const QJsonObject &json)
{
    Scenario scenario;
    // Walk the document: every leaf must be a known setting; every known setting present is applied.
    std::function<void(const QJsonObject &, const QString &)> walk = [&](const QJsonObject &obj,
                                                                         const QString &prefix) {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
            const QString key = prefix.isEmpty() ? it.key() : prefix + u'.' + it.key();
            if (key == u"criteria"_s || key == u"changes"_s)
                continue;
            if (it.value().isObject()) {
                walk(it.value().toObject(), key);
                continue;
            }
            const Setting *setting = findSetting(key);
            if (!setting)
                throw ScenarioError(u"unknown field '"_s + key + u"' (known: "_s + settingKeys().join(u", "_s) + u')');
            setting->put(scenario, validated(*setting, it.value()));
        }
    };
    walk(json, QString());
    detail::readCriteria(json, scenario);
    detail::readChanges(json, scenario);
    return scenario;
}

QList<Scenario::SettingInfo> Scenario::settings()
{
    const Scenario defaults;
    QList<SettingInfo> list;
    for (const Setting &setting : settingTable()) {
        const QJsonValue v = setting.get(defaults);
        const QString shown = v.isString() ? v.toString() : QString::number(v.toDouble(), 'g', 15);
        QString help = setting.help;
        if (setting.kind == Kind::Choice)
            help += u" ("_s + setting.choices.join(u" | "_s) + u')';
        else if (setting.kind == Kind::Integer || setting.kind == Kind::Number)
            help += u" (%1 … %2)"_s.arg(setting.min, 0, 'g', 17).arg(setting.max, 0, 'g', 17);
        list.append({setting.key, kindName(setting.kind), shown, help});
    }
    return list;
}

} // namespace cachescope
