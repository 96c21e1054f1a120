#include "core/scenario/settings.h"

#include "core/cache/evictionpolicy.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <cmath>
#include <type_traits>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {

// A setting under construction: def(...) names it and its field, the chained calls add the rest.
struct Builder {
    SettingDef setting;
    Builder &range(double min, double max)
    {
        setting.min = min;
        setting.max = max;
        return *this;
    }
    Builder &unit(const char *unit)
    {
        setting.unit = QString::fromUtf8(unit);
        return *this;
    }
    Builder &names(const char *text)
    {
        setting.values = QString::fromUtf8(text);
        return *this;
    }
    Builder &live()
    {
        setting.live = true;
        return *this;
    }
    operator SettingDef() const { return setting; } // NOLINT(google-explicit-constructor): the table reads so
};

template<typename T> constexpr bool kIsInteger = std::is_integral_v<T> && !std::is_same_v<T, bool>;

// The setting whose field \a field returns (a lambda `[](auto &s) -> auto & { return s.db.rtt; }`):
// its kind follows from the field's type; a QString field with choices is a choice by name.
template<typename Field> Builder def(const QString &key, const char *help, Field field, QStringList choices = {})
{
    using T = std::remove_cvref_t<decltype(field(std::declval<Scenario &>()))>;
    SettingDef s;
    s.key = key;
    s.help = QString::fromUtf8(help); // QT_TRANSLATE_NOOP("Settings", …): the GUI shows it translated
    s.choices = choices;
    if constexpr (std::is_same_v<T, bool>) {
        s.kind = SettingKind::Flag;
        if (s.choices.isEmpty())
            s.choices = {u"false"_s, u"true"_s};
        s.get = [field](const Scenario &sc) { return SettingValue(bool(field(sc))); };
        s.put = [field](Scenario &sc, const SettingValue &v) { field(sc) = std::get<bool>(v); };
    } else if constexpr (std::is_enum_v<T>) {
        s.kind = SettingKind::Choice;
        s.get = [field](const Scenario &sc) { return SettingValue(Choice {int(field(sc))}); };
        s.put = [field](Scenario &sc, const SettingValue &v) { field(sc) = T(std::get<Choice>(v).index); };
    } else if constexpr (std::is_same_v<T, QString>) {
        s.kind = choices.isEmpty() ? SettingKind::Text : SettingKind::Choice;
        if (choices.isEmpty()) {
            s.get = [field](const Scenario &sc) { return SettingValue(field(sc)); };
            s.put = [field](Scenario &sc, const SettingValue &v) { field(sc) = std::get<QString>(v); };
        } else {
            s.get = [field, choices](const Scenario &sc) {
                return SettingValue(Choice {int(std::max<qsizetype>(0, choices.indexOf(field(sc))))});
            };
            s.put = [field, choices](
                        Scenario &sc, const SettingValue &v) { field(sc) = choices.at(std::get<Choice>(v).index); };
        }
    } else if constexpr (std::is_same_v<T, std::chrono::nanoseconds>) {
        s.kind = SettingKind::Duration;
        s.get = [field](const Scenario &sc) { return SettingValue(field(sc)); };
        s.put = [field](Scenario &sc, const SettingValue &v) { field(sc) = std::get<std::chrono::nanoseconds>(v); };
    } else if constexpr (std::is_same_v<T, double>) {
        s.kind = SettingKind::Number;
        s.get = [field](const Scenario &sc) { return SettingValue(field(sc)); };
        s.put = [field](Scenario &sc, const SettingValue &v) { field(sc) = std::get<double>(v); };
    } else {
        static_assert(kIsInteger<T>, "a setting's field is an integer, number, duration, text, enum or bool");
        s.kind = SettingKind::Integer;
        s.get = [field](const Scenario &sc) { return SettingValue(std::int64_t(field(sc))); };
        s.put = [field](Scenario &sc, const SettingValue &v) { field(sc) = T(std::get<std::int64_t>(v)); };
    }
    return Builder {s};
}

QList<SettingDef> buildTable()
{
    const QStringList policies = EvictionPolicy::names();
    // clang-format off
    return {
        def(u"db.path"_s, QT_TRANSLATE_NOOP("Settings", "SQLite database file (empty: the demo database)"),
            [](auto &s) -> auto & { return s.db.path; }).names(QT_TRANSLATE_NOOP("Settings", "a SQLite file")),
        def(u"db.table"_s, QT_TRANSLATE_NOOP("Settings", "table to read"),
            [](auto &s) -> auto & { return s.db.table; }).names(QT_TRANSLATE_NOOP("Settings", "a table of that file")),
        def(u"db.key"_s, QT_TRANSLATE_NOOP("Settings", "integer key column of the table"),
            [](auto &s) -> auto & { return s.db.key; }).names(QT_TRANSLATE_NOOP("Settings", "an integer column")),
        def(u"db.rtt"_s, QT_TRANSLATE_NOOP("Settings", "simulated network round-trip added to every database statement (awaited, not slept)"),
            [](auto &s) -> auto & { return s.db.rtt; }).live(),
        def(u"db.rtt_jitter"_s, QT_TRANSLATE_NOOP("Settings", "each round-trip varies uniformly by up to ± this (at least 0)"),
            [](auto &s) -> auto & { return s.db.rttJitter; }).live(),
        def(u"db.retries"_s, QT_TRANSLATE_NOOP("Settings", "extra attempts of a statement that failed with a retryable error (busy, locked, I/O)"),
            [](auto &s) -> auto & { return s.db.retries; }).range(0, 100).unit(QT_TRANSLATE_NOOP("Settings", "attempts")),
        def(u"db.retry_backoff"_s, QT_TRANSLATE_NOOP("Settings", "base of the exponential backoff between attempts (full jitter, at most 100 ms)"),
            [](auto &s) -> auto & { return s.db.retryBackoff; }),
        def(u"db.connections"_s, QT_TRANSLATE_NOOP("Settings", "database connections per worker thread: statements (with their round-trip) in "
                                 "flight at once; 0 = no limit"),
            [](auto &s) -> auto & { return s.db.connections; }).range(0, 4096).unit(QT_TRANSLATE_NOOP("Settings", "connections")),
        def(u"db.failure_rate"_s, QT_TRANSLATE_NOOP("Settings", "share of database statements that fail (simulated, seeded)"),
            [](auto &s) -> auto & { return s.db.failureRate; }).range(0, 1).unit(QT_TRANSLATE_NOOP("Settings", "share")).live(),
        def(u"db.stall"_s, QT_TRANSLATE_NOOP("Settings", "a stall of the database connection (it blocks, like a lock wait) every db.stall_every "
                           "statements"),
            [](auto &s) -> auto & { return s.db.stall; }),
        def(u"db.stall_every"_s, QT_TRANSLATE_NOOP("Settings", "statements of a connection between two stalls (0 = no stalls)"),
            [](auto &s) -> auto & { return s.db.stallEvery; }).range(0, 1'000'000'000).unit(QT_TRANSLATE_NOOP("Settings", "statements")),
        def(u"db.url"_s, QT_TRANSLATE_NOOP("Settings", "a PostgreSQL server instead of the SQLite file, as a libpq connection URL (libpq's rules; "
                         "PGPASSFILE and PGSERVICE apply; a password is never shown or saved in a result)"),
            [](auto &s) -> auto & { return s.db.url; }).names(QT_TRANSLATE_NOOP("Settings", "a PostgreSQL URL")),
        def(u"db.replicas"_s, QT_TRANSLATE_NOOP("Settings", "PostgreSQL: read replicas of db.url, comma-separated URLs: reads go to them in turn, "
                              "writes to db.url"),
            [](auto &s) -> auto & { return s.db.replicas; }).names(QT_TRANSLATE_NOOP("Settings", "PostgreSQL URLs, comma-separated")),
        def(u"db.replica_reads"_s, QT_TRANSLATE_NOOP("Settings", "PostgreSQL with read replicas: which replica a read goes to — each in turn, or the one "
                                   "with the fewest statements in flight (a replica that is down gets none while another "
                                   "is up)"),
            [](auto &s) -> auto & { return s.db.replicaReads; }, {u"round-robin"_s, u"least-loaded"_s}),
        def(u"db.primary_after_write"_s, QT_TRANSLATE_NOOP("Settings", "PostgreSQL with read replicas and writes: a read of a key written this recently goes "
                                         "to the primary, not to a replica that may not have replayed the write (read your "
                                         "writes; needs db.version_column; 0 = never)"),
            [](auto &s) -> auto & { return s.db.primaryAfterWrite; }),
        def(u"db.pipeline_depth"_s, QT_TRANSLATE_NOOP("Settings", "PostgreSQL: statements in flight on one connection (pipeline mode) before another "
                                    "connection is used"),
            [](auto &s) -> auto & { return s.db.pipelineDepth; }).range(1, 1024).unit(QT_TRANSLATE_NOOP("Settings", "statements")),
        def(u"db.timeout"_s, QT_TRANSLATE_NOOP("Settings", "PostgreSQL: how long connecting, or one statement, may take before it fails"),
            [](auto &s) -> auto & { return s.db.timeout; }),
        def(u"db.version_column"_s, QT_TRANSLATE_NOOP("Settings", "with writes in the workload: the integer column each write bumps, against which "
                                    "every cached or replica read is checked for staleness (auto = a column named "
                                    "version, when the table has one; off = writes leave rows as they are)"),
            [](auto &s) -> auto & { return s.db.versionColumn; }).names(QT_TRANSLATE_NOOP("Settings", "an integer column, auto or off")),
        def(u"workload.distribution"_s, QT_TRANSLATE_NOOP("Settings", "key popularity"),
            [](auto &s) -> auto & { return s.workload.distribution; },
            {u"zipf"_s, u"uniform"_s, u"hotspot"_s, u"shifting"_s, u"trace"_s}),
        def(u"workload.hot_keys"_s, QT_TRANSLATE_NOOP("Settings", "hotspot/shifting: share of the keys that are hot"),
            [](auto &s) -> auto & { return s.workload.hotKeys; }).range(0.000001, 1).unit(QT_TRANSLATE_NOOP("Settings", "share")),
        def(u"workload.hot_requests"_s, QT_TRANSLATE_NOOP("Settings", "hotspot/shifting: share of the requests that go to the hot keys"),
            [](auto &s) -> auto & { return s.workload.hotRequests; }).range(0.000001, 1).unit(QT_TRANSLATE_NOOP("Settings", "share")),
        def(u"workload.shift_every"_s, QT_TRANSLATE_NOOP("Settings", "shifting: the hot set moves to the next keys this often"),
            [](auto &s) -> auto & { return s.workload.shiftEvery; }),
        def(u"workload.trace"_s, QT_TRANSLATE_NOOP("Settings", "trace: a key trace file (the formats of cachescope simulate)"),
            [](auto &s) -> auto & { return s.workload.trace; }).names(QT_TRANSLATE_NOOP("Settings", "a trace file")),
        def(u"workload.trace_format"_s,
            QT_TRANSLATE_NOOP("Settings", "trace: keys (one per line), csv, or oracleGeneral (libCacheSim's binary records); zstd-compressed "
            "files are read as they decompress"),
            [](auto &s) -> auto & { return s.workload.traceFormat; }, {u"keys"_s, u"csv"_s, u"oracleGeneral"_s}),
        def(u"workload.trace_column"_s, QT_TRANSLATE_NOOP("Settings", "trace: the key's column in a CSV trace (1-based)"),
            [](auto &s) -> auto & { return s.workload.traceColumn; }).range(1, 10000),
        def(u"workload.zipf"_s, QT_TRANSLATE_NOOP("Settings", "Zipf exponent (0 = uniform)"),
            [](auto &s) -> auto & { return s.workload.zipf; }).range(0, 5),
        def(u"workload.keys"_s, QT_TRANSLATE_NOOP("Settings", "distinct keys drawn from the table"),
            [](auto &s) -> auto & { return s.workload.keys; }).range(1, 50'000'000).unit(QT_TRANSLATE_NOOP("Settings", "keys")),
        def(u"workload.seed"_s, QT_TRANSLATE_NOOP("Settings", "seed of every random choice"),
            [](auto &s) -> auto & { return s.workload.seed; }).range(0, 9'007'199'254'740'991.0),
        def(u"workload.model"_s, QT_TRANSLATE_NOOP("Settings", "load model: closed (N clients back to back) or open (arrivals at workload.rate, "
                                 "latency from each request's intended start)"),
            [](auto &s) -> auto & { return s.workload.model; }, {u"closed"_s, u"open"_s}),
        def(u"workload.rate"_s, QT_TRANSLATE_NOOP("Settings", "open model: target requests per second, all clients together"),
            [](auto &s) -> auto & { return s.workload.rate; }).range(1, 10'000'000).unit(QT_TRANSLATE_NOOP("Settings", "requests/s")).live(),
        def(u"workload.arrival"_s, QT_TRANSLATE_NOOP("Settings", "open model: poisson (exponential gaps) or constant arrivals"),
            [](auto &s) -> auto & { return s.workload.arrival; }, {u"poisson"_s, u"constant"_s}),
        def(u"workload.concurrency"_s, QT_TRANSLATE_NOOP("Settings", "concurrent clients"),
            [](auto &s) -> auto & { return s.workload.concurrency; }).range(1, 4096).unit(QT_TRANSLATE_NOOP("Settings", "clients")).live(),
        def(u"workload.read_ratio"_s, QT_TRANSLATE_NOOP("Settings", "share of requests that are reads; the rest write their row (the database is "
                                      "then opened for writing)"),
            [](auto &s) -> auto & { return s.workload.readRatio; }).range(0, 1).unit(QT_TRANSLATE_NOOP("Settings", "share")),
        def(u"workload.think_time"_s, QT_TRANSLATE_NOOP("Settings", "closed model: each client's pause between two requests"),
            [](auto &s) -> auto & { return s.workload.thinkTime; }).live(),
        def(u"workload.fields"_s, QT_TRANSLATE_NOOP("Settings", "projection: comma-separated column names, checked against the table (empty: all "
                                  "columns)"),
            [](auto &s) -> auto & { return s.workload.fields; }).names(QT_TRANSLATE_NOOP("Settings", "column names of db.table, comma-separated")),
        def(u"cache.l1.capacity"_s, QT_TRANSLATE_NOOP("Settings", "L1 size in entries"),
            [](auto &s) -> auto & { return s.cache.l1.capacity; }).range(0, 100'000'000).unit(QT_TRANSLATE_NOOP("Settings", "entries")).live(),
        def(u"cache.l1.ttl"_s, QT_TRANSLATE_NOOP("Settings", "L1 time to live (0 = no expiry)"),
            [](auto &s) -> auto & { return s.cache.l1.ttl; }).live(),
        def(u"cache.l1.policy"_s, QT_TRANSLATE_NOOP("Settings", "L1 eviction policy"),
            [](auto &s) -> auto & { return s.cache.l1.policy; }, policies).live(),
        def(u"cache.l1.max_bytes"_s, QT_TRANSLATE_NOOP("Settings", "L1 byte limit, key + value + overhead per entry (0 = none)"),
            [](auto &s) -> auto & { return s.cache.l1.maxBytes; }).range(0, 1e15).unit(QT_TRANSLATE_NOOP("Settings", "bytes")).live(),
        def(u"cache.ttl_jitter"_s, QT_TRANSLATE_NOOP("Settings", "random share taken off each entry's TTL (spreads expiry)"),
            [](auto &s) -> auto & { return s.cache.ttlJitter; }).range(0, 0.5).unit(QT_TRANSLATE_NOOP("Settings", "share")).live(),
        def(u"cache.negative_ttl"_s, QT_TRANSLATE_NOOP("Settings", "how long a \"no such row\" answer is remembered, so a missing key is not read again (0 = not remembered)"),
            [](auto &s) -> auto & { return s.cache.negativeTtl; }).live(),
        def(u"cache.l2.capacity"_s, QT_TRANSLATE_NOOP("Settings", "L2 size in entries (0 = no L2)"),
            [](auto &s) -> auto & { return s.cache.l2.capacity; }).range(0, 100'000'000).unit(QT_TRANSLATE_NOOP("Settings", "entries")).live(),
        def(u"cache.l2.ttl"_s, QT_TRANSLATE_NOOP("Settings", "L2 time to live (0 = no expiry)"),
            [](auto &s) -> auto & { return s.cache.l2.ttl; }).live(),
        def(u"cache.l2.policy"_s, QT_TRANSLATE_NOOP("Settings", "L2 eviction policy"),
            [](auto &s) -> auto & { return s.cache.l2.policy; }, policies).live(),
        def(u"cache.l2.max_bytes"_s, QT_TRANSLATE_NOOP("Settings", "L2 byte limit (0 = none)"),
            [](auto &s) -> auto & { return s.cache.l2.maxBytes; }).range(0, 1e15).unit(QT_TRANSLATE_NOOP("Settings", "bytes")).live(),
        def(u"cache.l2.backend"_s, QT_TRANSLATE_NOOP("Settings", "where L2 lives: in each instance's process (cache.l2.capacity entries) or on a Redis "
                                   "server that every instance shares (cache.l2.url; its size is the server's maxmemory)"),
            [](auto &s) -> auto & { return s.cache.l2Backend; }, {u"in-process"_s, u"redis"_s}),
        def(u"cache.l2.url"_s, QT_TRANSLATE_NOOP("Settings", "Redis L2: the server, redis://[user:password@]host:port[/db] (a password is never "
                               "shown or saved in a result)"),
            [](auto &s) -> auto & { return s.cache.l2Url; }).names(QT_TRANSLATE_NOOP("Settings", "a Redis URL")),
        def(u"cache.l2.password_file"_s, QT_TRANSLATE_NOOP("Settings", "Redis L2: a file whose first line is the password (instead of one in the URL)"),
            [](auto &s) -> auto & { return s.cache.l2PasswordFile; }).names(QT_TRANSLATE_NOOP("Settings", "a password file")),
        def(u"cache.l2.prefix"_s, QT_TRANSLATE_NOOP("Settings", "Redis L2: every key starts with it (each cached phase adds a tag of its own); a "
                                  "prefix that holds data that is not CacheScope's is refused"),
            [](auto &s) -> auto & { return s.cache.l2Prefix; }).names(QT_TRANSLATE_NOOP("Settings", "a key prefix")),
        def(u"cache.l2.tracking"_s, QT_TRANSLATE_NOOP("Settings", "Redis L2: how writes reach other instances' L1 — the server tracks the keys each "
                                    "instance read (keys), tells every instance of every change under the prefix (bcast), or "
                                    "no one (off: L1 copies live until their TTL)"),
            [](auto &s) -> auto & { return s.cache.l2Tracking; }, {u"keys"_s, u"bcast"_s, u"off"_s}),
        def(u"cache.instances"_s, QT_TRANSLATE_NOOP("Settings", "application instances, each with its own L1 (and in-process L2), sharing the "
                                  "database and a Redis L2; the engine workers are dealt to them in turn"),
            [](auto &s) -> auto & { return s.cache.instances; }).range(1, 256).unit(QT_TRANSLATE_NOOP("Settings", "instances")),
        def(u"cache.mode"_s, QT_TRANSLATE_NOOP("Settings", "L2 inclusive (holds what L1 holds) or exclusive (holds what L1 evicted)"),
            [](auto &s) -> auto & { return s.cache.mode; }, {u"inclusive"_s, u"exclusive"_s}).live(),
        def(u"cache.write_policy"_s, QT_TRANSLATE_NOOP("Settings", "what a write does to the cached copy: drop it, replace it, or "
                                     "nothing (ttl-only: it lives until its TTL, and reads of it may be stale)"),
            [](auto &s) -> auto & { return s.cache.writePolicy; }, {u"invalidate"_s, u"write-through"_s, u"ttl-only"_s}).live(),
        def(u"cache.batch_loads"_s, QT_TRANSLATE_NOOP("Settings", "coalesce misses arriving within cache.batch_window into one IN (...) statement "
                                    "per worker"),
            [](auto &s) -> auto & { return s.cache.batchLoads; }),
        def(u"cache.batch_window"_s, QT_TRANSLATE_NOOP("Settings", "how long a batch gathers loads before it is sent"),
            [](auto &s) -> auto & { return s.cache.batchWindow; }),
        def(u"cache.batch_max"_s, QT_TRANSLATE_NOOP("Settings", "largest batch (a full batch is sent at once)"),
            [](auto &s) -> auto & { return s.cache.batchMax; }).range(1, 500).unit(QT_TRANSLATE_NOOP("Settings", "keys")),
        def(u"duration.baseline"_s, QT_TRANSLATE_NOOP("Settings", "length of the uncached baseline phase"),
            [](auto &s) -> auto & { return s.duration.baseline; }),
        def(u"duration.cached"_s, QT_TRANSLATE_NOOP("Settings", "length of the cached phase"),
            [](auto &s) -> auto & { return s.duration.cached; }),
        def(u"duration.warmup"_s, QT_TRANSLATE_NOOP("Settings", "run before each phase's measured part and left out of its figures (connections, "
                                  "page cache, JIT of the host)"),
            [](auto &s) -> auto & { return s.duration.warmup; }),
        def(u"warmup.strategy"_s, QT_TRANSLATE_NOOP("Settings", "keys loaded into the cache when the cached phase starts: none, the top N of the "
                                  "last hot-set snapshot, a keys file, or a query ordered by columns"),
            [](auto &s) -> auto & { return s.warmup.strategy; },
            {u"none"_s, u"top-n"_s, u"keys-file"_s, u"query"_s}),
        def(u"warmup.keys"_s, QT_TRANSLATE_NOOP("Settings", "most keys a warm-up loads (N of top-n and query; the file's first N)"),
            [](auto &s) -> auto & { return s.warmup.keys; }).range(1, 10'000'000).unit(QT_TRANSLATE_NOOP("Settings", "keys")),
        def(u"warmup.keys_file"_s, QT_TRANSLATE_NOOP("Settings", "keys-file: one integer key per line, hottest first"),
            [](auto &s) -> auto & { return s.warmup.keysFile; }).names(QT_TRANSLATE_NOOP("Settings", "a keys file")),
        def(u"warmup.order_by"_s, QT_TRANSLATE_NOOP("Settings", "query: \"column [asc|desc], ...\" of the table — SELECT key ... ORDER BY it LIMIT "
                                  "warmup.keys"),
            [](auto &s) -> auto & { return s.warmup.orderBy; }).names(QT_TRANSLATE_NOOP("Settings", "columns of db.table, each asc or desc")),
        def(u"warmup.max_time"_s, QT_TRANSLATE_NOOP("Settings", "time budget of a warm-up; what is left is skipped (0 = none)"),
            [](auto &s) -> auto & { return s.warmup.maxTime; }),
        def(u"warmup.concurrency"_s, QT_TRANSLATE_NOOP("Settings", "warm-up statements in flight at once (all engine threads)"),
            [](auto &s) -> auto & { return s.warmup.concurrency; }).range(1, 256).unit(QT_TRANSLATE_NOOP("Settings", "statements")),
        def(u"warmup.batch"_s, QT_TRANSLATE_NOOP("Settings", "keys per warm-up statement (one IN (...))"),
            [](auto &s) -> auto & { return s.warmup.batch; }).range(1, 500).unit(QT_TRANSLATE_NOOP("Settings", "keys")),
        def(u"warmup.priority"_s, QT_TRANSLATE_NOOP("Settings", "background: live requests go first (connections, event loop); foreground: "
                                  "warm-up competes as equal"),
            [](auto &s) -> auto & { return s.warmup.priority; }, {u"background"_s, u"foreground"_s}),
        def(u"warmup.auto"_s, QT_TRANSLATE_NOOP("Settings", "true: warm up as many keys as the last run suggested (covering warmup.coverage of its "
                              "reads)"),
            [](auto &s) -> auto & { return s.warmup.autoSize; }),
        def(u"warmup.coverage"_s, QT_TRANSLATE_NOOP("Settings", "share of reads the suggested warm-up size should cover"),
            [](auto &s) -> auto & { return s.warmup.coverage; }).range(0.01, 1.0).unit(QT_TRANSLATE_NOOP("Settings", "share")),
        def(u"warmup.compare"_s, QT_TRANSLATE_NOOP("Settings", "true: with a warm-up, run the cached phase cold first (same seed) to measure the "
                                 "cold-start reduction"),
            [](auto &s) -> auto & { return s.warmup.compare; }),
        def(u"warmup.snapshot"_s, QT_TRANSLATE_NOOP("Settings", "hot-set snapshot file read by top-n and written after each run (empty: one per "
                                  "table in the user's data folder)"),
            [](auto &s) -> auto & { return s.warmup.snapshot; }).names(QT_TRANSLATE_NOOP("Settings", "a hot-set snapshot file")),
        def(u"engine.workers"_s, QT_TRANSLATE_NOOP("Settings", "engine worker threads (0 = one per core)"),
            [](auto &s) -> auto & { return s.engine.workers; }).range(0, 256).unit(QT_TRANSLATE_NOOP("Settings", "threads")),
        def(u"engine.metrics"_s, QT_TRANSLATE_NOOP("Settings", "on: every request timed into the latency histograms; off: counts only (to measure "
                                 "what timing costs)"),
            [](auto &s) -> auto & { return s.engine.recordLatency; }, {u"off"_s, u"on"_s}),
    };
    // clang-format on
}

// The shortest text that reads back as the same double: 0.2, not 0.20000000000000001; whole
// numbers in full (9007199254740991, not 9.007199254740991e+15).
QString number(double value)
{
    if (value == std::trunc(value) && std::abs(value) <= 9007199254740992.0)
        return QString::number(std::int64_t(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

} // namespace

const QList<SettingDef> &settingTable()
{
    static const QList<SettingDef> table = buildTable();
    return table;
}

const SettingDef *findSetting(const QString &key)
{
    for (const SettingDef &setting : settingTable()) {
        if (setting.key == key)
            return &setting;
    }
    return nullptr;
}

QString settingText(const Scenario &scenario, const QString &key)
{
    const SettingDef *setting = findSetting(key);
    return setting ? setting->text(setting->get(scenario)) : QString();
}

QStringList settingKeys()
{
    QStringList keys;
    for (const SettingDef &setting : settingTable())
        keys.append(setting.key);
    return keys;
}

SettingValue SettingDef::parse(const QJsonValue &raw) const
{
    const auto fail = [&](const QString &why) -> SettingValue {
        const QString shown = raw.isString()
            ? u"'"_s + raw.toString() + u"'"_s
            : QString::fromUtf8(QJsonDocument(QJsonArray {raw}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
        throw ScenarioError(QCoreApplication::translate("Settings", "%1: %2 is not valid: %3").arg(key, shown, why));
    };
    switch (kind) {
    case SettingKind::Integer:
    case SettingKind::Number: {
        double value = 0;
        bool ok = false;
        if (raw.isDouble()) {
            value = raw.toDouble();
            ok = true;
        } else if (raw.isString()) {
            value = raw.toString().trimmed().toDouble(&ok);
        }
        if (!ok || !std::isfinite(value))
            return fail(kind == SettingKind::Integer ? QCoreApplication::translate("Settings", "expected an integer")
                                                     : QCoreApplication::translate("Settings", "expected a number"));
        if (kind == SettingKind::Integer && value != std::floor(value))
            return fail(QCoreApplication::translate("Settings", "expected an integer"));
        if (value < min || value > max)
            return fail(
                QCoreApplication::translate("Settings", "must be between %1 and %2").arg(number(min), number(max)));
        if (kind == SettingKind::Integer)
            return std::int64_t(value);
        return value;
    }
    case SettingKind::Duration: {
        std::optional<std::chrono::nanoseconds> d;
        if (raw.isDouble() && raw.toDouble() >= 0)
            d = parseDuration(QString::number(raw.toDouble(), 'f', 9));
        else if (raw.isString())
            d = parseDuration(raw.toString());
        if (!d)
            return fail(QCoreApplication::translate("Settings", "expected a duration such as 250us, 5ms, 30s or 2m"));
        if (double(d->count()) < min)
            return fail(QCoreApplication::translate("Settings", "must be at least %1")
                            .arg(formatDuration(std::chrono::nanoseconds(std::int64_t(min)))));
        return *d;
    }
    case SettingKind::Text:
        if (!raw.isString())
            return fail(QCoreApplication::translate("Settings", "expected text"));
        return raw.toString();
    case SettingKind::Flag:
        if (raw.isBool())
            return raw.toBool();
        [[fallthrough]];
    case SettingKind::Choice: {
        const qsizetype index = raw.isString() ? choices.indexOf(raw.toString()) : -1;
        if (index < 0)
            return fail(QCoreApplication::translate("Settings", "expected one of: %1").arg(choices.join(u", "_s)));
        if (kind == SettingKind::Flag)
            return index == 1;
        return Choice {int(index)};
    }
    }
    return fail(u"unsupported"_s);
}

QString SettingDef::text(const SettingValue &value) const
{
    return std::visit(
        [this](const auto &v) -> QString {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::int64_t>)
                return QString::number(v);
            else if constexpr (std::is_same_v<T, double>)
                return number(v);
            else if constexpr (std::is_same_v<T, std::chrono::nanoseconds>)
                return formatDuration(v);
            else if constexpr (std::is_same_v<T, QString>)
                return v;
            else if constexpr (std::is_same_v<T, Choice>)
                return choices.value(v.index);
            else
                return choices.value(v ? 1 : 0);
        },
        value);
}

QJsonValue SettingDef::json(const SettingValue &value) const
{
    if (const auto *i = std::get_if<std::int64_t>(&value))
        return QJsonValue(qint64(*i));
    if (const auto *d = std::get_if<double>(&value))
        return QJsonValue(*d);
    return QJsonValue(text(value));
}

QString SettingDef::kindName() const
{
    switch (kind) {
    case SettingKind::Integer:
        return u"integer"_s;
    case SettingKind::Number:
        return u"number"_s;
    case SettingKind::Duration:
        return u"duration"_s;
    case SettingKind::Text:
        return u"text"_s;
    case SettingKind::Choice:
        return u"choice"_s;
    case SettingKind::Flag:
        return u"flag"_s;
    }
    return {};
}

QString SettingDef::rangeText() const
{
    switch (kind) {
    case SettingKind::Integer:
    case SettingKind::Number:
        return number(min) + u" … "_s + number(max);
    case SettingKind::Duration:
        return min > 0 ? u"≥ "_s + formatDuration(std::chrono::nanoseconds(std::int64_t(min))) : u"≥ 0"_s;
    case SettingKind::Text:
        return values;
    case SettingKind::Choice:
    case SettingKind::Flag:
        return u"`"_s + choices.join(u"`, `"_s) + u'`';
    }
    return {};
}

QStringList settingsChangedFromDefault(const Scenario &scenario)
{
    const Scenario defaults;
    QStringList changed;
    for (const SettingDef &setting : settingTable()) {
        if (setting.key == u"db.path"_s)
            continue; // the database, named on its own
        const QString value = setting.text(setting.get(scenario));
        if (value != setting.text(setting.get(defaults)))
            changed.append(setting.key + u'=' + value);
    }
    return changed;
}

QString SettingDef::defaultText() const
{
    return text(get(Scenario {}));
}

QString settingsMarkdown()
{
    QString out = u"| key | type | default | accepted values | live | meaning |\n|---|---|---|---|---|---|\n"_s;
    for (const SettingDef &s : settingTable()) {
        const QString value = s.defaultText();
        const QString unit = s.unit.isEmpty() ? QString() : u" "_s + s.unit;
        out += u"| `%1` | %2 | %3 | %4%5 | %6 | %7 |\n"_s.arg(s.key, s.kindName(),
            value.isEmpty() ? u"*(empty)*"_s : u'`' + value + u'`', s.rangeText(), unit, s.live ? u"yes"_s : u"no"_s,
            s.help);
    }
    return out;
}

} // namespace cachescope
