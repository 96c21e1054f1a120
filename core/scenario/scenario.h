#pragma once

#include "core/cache/sharedtier.h"
#include "core/cache/tieredcache.h"
#include "core/load/datasource.h"
#include "core/scenario/configchange.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <chrono>
#include <cstdint>
#include <optional>

namespace cachescope {

/// A target the run is judged against, e.g. hit_rate >= 0.99.
struct Criterion {
    QString name; ///< what the report calls it
    QString kpi; ///< a key of the result's "kpis" object
    QString op = QStringLiteral(">="); ///< ">=" or "<="
    double target = 0.0; ///< the value to meet
    /// The least a judged stretch must hold for a verdict: fewer requests or seconds (in the tuned
    /// stretch, and in the baseline for a KPI against it) make the criterion INCONCLUSIVE, never
    /// PASS. The defaults are ten 100 ms snapshots (what an interval needs) and a thousand requests.
    std::int64_t minRequests = kDefaultMinRequests;
    double minSeconds = kDefaultMinSeconds; ///< see minRequests
    static constexpr std::int64_t kDefaultMinRequests = 1000;
    static constexpr double kDefaultMinSeconds = 1.0;

    /// How far \a measured is past the target (negative = short of it); nullopt when not measured.
    /// The one place a verdict is made: results, reports and the GUI's tiles use it.
    std::optional<double> margin(std::optional<double> measured) const
    {
        if (!measured)
            return std::nullopt;
        return op == QStringLiteral("<=") ? target - *measured : *measured - target;
    }
    /// Met (margin ≥ 0), not met, or nullopt when not measured.
    std::optional<bool> met(std::optional<double> measured) const
    {
        const std::optional<double> m = margin(measured);
        return m ? std::optional<bool>(*m >= 0.0) : std::nullopt;
    }

    bool operator==(const Criterion &) const = default;
};

/// A live change the scenario makes at a set time of a phase (what the GUI's controls do by hand):
/// headless runs get segments too.
struct ScheduledChange {
    QString phase = QStringLiteral("cached"); ///< "baseline" or "cached"
    std::chrono::nanoseconds at {0}; ///< time into the phase (after its warm-up)
    ConfigChange change; ///< assignments of live settings, checked when the scenario is read
    bool operator==(const ScheduledChange &) const = default;
};

/// Key popularity of the workload.
enum class Distribution : std::uint8_t { Zipf, Uniform, Hotspot, Shifting, Trace };
/// How a trace file is written.
enum class TraceFormat : std::uint8_t { Keys, Csv, OracleGeneral };
/// Closed: N clients back to back; open: arrivals at a rate.
enum class LoadModel : std::uint8_t { Closed, Open };
/// Open model: the gaps between arrivals.
enum class Arrival : std::uint8_t { Poisson, Constant };
/// Where a warm-up takes its keys.
enum class WarmupStrategy : std::uint8_t { None, TopN, KeysFile, Query };
/// Whether live requests go before the warm-up's statements.
enum class WarmupPriority : std::uint8_t { Background, Foreground };

/// db.*: the database and what the run simulates of the way to it.
struct DbSpec {
    using Duration = std::chrono::nanoseconds;
    QString path; ///< empty = the demo database in the user's data directory
    QString table = QStringLiteral("products"); ///< table to read
    QString key = QStringLiteral("id"); ///< integer key column
    Duration rtt {0}; ///< simulated network round-trip added to every statement
    Duration rttJitter {0}; ///< each round-trip varies uniformly by up to ± this
    double failureRate = 0.0; ///< share of statements that fail (simulated)
    int retries = 0; ///< extra attempts of a statement that failed with a retryable error
    Duration retryBackoff = std::chrono::milliseconds(1); ///< base of the exponential backoff (full jitter)
    int connections = 0; ///< statements in flight at once per worker thread (a pool); 0 = no limit
    Duration stall {0}; ///< a stall (the connection blocks) every stallEvery statements
    std::int64_t stallEvery = 0; ///< statements between two stalls; 0 = never
    QString url; ///< a PostgreSQL server (postgresql://user@host:port/db); empty = SQLite (path)
    QString replicas; ///< read replicas of that server, comma-separated URLs (reads go there)
    ReplicaReads replicaReads = ReplicaReads::RoundRobin; ///< which replica a read goes to
    Duration primaryAfterWrite {0}; ///< with replicas: a key written this recently is read on the primary
    int pipelineDepth = 1; ///< statements in flight on one server connection (libpq pipeline mode)
    Duration timeout = std::chrono::seconds(10); ///< a server's connect and statement timeout
    /// The integer column writes bump, against which reads are checked for staleness: "auto" (a
    /// column named version, when the table has one), "off", or a column name.
    QString versionColumn = QStringLiteral("auto");
    bool operator==(const DbSpec &) const = default;
};

/// workload.*: what the clients ask for, and how often.
struct WorkloadSpec {
    using Duration = std::chrono::nanoseconds;
    Distribution distribution = Distribution::Zipf; ///< key popularity
    double hotKeys = 0.2; ///< hotspot/shifting: share of the keys that are hot
    double hotRequests = 0.8; ///< hotspot/shifting: share of the requests that go to them
    Duration shiftEvery = std::chrono::seconds(10); ///< shifting: the hot set moves this often
    QString trace; ///< trace: the trace file
    TraceFormat traceFormat = TraceFormat::Keys; ///< trace: its format
    int traceColumn = 1; ///< trace: the key's column in a CSV (1-based)
    double zipf = 0.99; ///< Zipf exponent
    std::int64_t keys = 100000; ///< distinct keys drawn from the table
    std::uint64_t seed = 42; ///< seed of every random choice
    int concurrency = 16; ///< clients
    double readRatio = 1.0; ///< share of requests that are reads (the rest write the row)
    LoadModel model = LoadModel::Closed; ///< load model
    double rate = 5000.0; ///< open model: target requests per second (all clients together)
    Arrival arrival = Arrival::Poisson; ///< open model: arrivals
    Duration thinkTime {0}; ///< closed model: pause of each client between two requests
    QString fields; ///< projection: comma-separated column names; empty = all columns
    bool operator==(const WorkloadSpec &) const = default;
};

/// cache.l1.* or cache.l2.*: one tier.
struct TierSpec {
    std::int64_t capacity = 0; ///< entries (L2: 0 = no L2)
    std::chrono::nanoseconds ttl {0}; ///< time to live (0 = none)
    QString policy = QStringLiteral("lru"); ///< eviction policy (EvictionPolicy::names())
    std::int64_t maxBytes = 0; ///< byte limit (0 = entries only)
    bool operator==(const TierSpec &) const = default;
};

/// cache.*: the tiers and how misses reach the database.
struct CacheSpec {
    TierSpec l1 {20000, std::chrono::seconds(60)}; ///< the first tier
    TierSpec l2 {0, std::chrono::minutes(5)}; ///< the second tier; capacity 0 = none
    double ttlJitter = 0.0; ///< random share (0 … 0.5) taken off each entry's TTL, both tiers
    std::chrono::nanoseconds negativeTtl {0}; ///< how long a "no such row" answer is remembered (0 = not)
    L2Mode mode = L2Mode::Inclusive; ///< inclusive or exclusive L2
    WritePolicy writePolicy = WritePolicy::Invalidate; ///< what a write does to the cached copy
    bool batchLoads = false; ///< misses coalesced into IN (...) loads
    std::chrono::nanoseconds batchWindow = std::chrono::microseconds(200); ///< how long a batch gathers loads
    int batchMax = 64; ///< largest batch
    int instances = 1; ///< application instances, each with its own L1 (and in-process L2)
    L2Backend l2Backend = L2Backend::InProcess; ///< where L2 lives
    QString l2Url; ///< Redis L2: the server (a password in it is never shown)
    QString l2PasswordFile; ///< Redis L2: a file whose first line is the password
    QString l2Prefix = QStringLiteral("cachescope:"); ///< Redis L2: every key starts with it
    L2Tracking l2Tracking = L2Tracking::Keys; ///< Redis L2: how writes reach other instances' L1
    bool operator==(const CacheSpec &) const = default;
};

/// duration.*: the phases' lengths.
struct DurationSpec {
    std::chrono::nanoseconds baseline = std::chrono::seconds(5); ///< uncached phase
    std::chrono::nanoseconds cached = std::chrono::seconds(10); ///< cached phase
    std::chrono::nanoseconds warmup {0}; ///< run before each phase's measured part, left out of its figures
    bool operator==(const DurationSpec &) const = default;
};

/// warmup.*: what the cached phase loads before (and while) its clients read.
struct WarmupSpec {
    WarmupStrategy strategy = WarmupStrategy::None; ///< where the keys come from
    std::int64_t keys = 10000; ///< most keys a warm-up loads
    QString keysFile; ///< keys-file: the file
    QString orderBy; ///< query: "column [asc|desc], ..."
    std::chrono::nanoseconds maxTime = std::chrono::seconds(30); ///< time budget (0 = none)
    int concurrency = 4; ///< statements in flight at once, all workers together
    int batch = 100; ///< keys per statement
    WarmupPriority priority = WarmupPriority::Background; ///< who goes first
    bool autoSize = false; ///< warmup.auto: N from the last run's suggestion
    double coverage = 0.9; ///< share of reads the suggested N covers
    bool compare = true; ///< a cold run of the cached phase first (same seed)
    QString snapshot; ///< hot-set snapshot file; empty = the default in the data folder
    bool operator==(const WarmupSpec &) const = default;
};

/// engine.*: the threads that run the clients.
struct EngineSpec {
    int workers = 0; ///< engine worker threads; 0 = one per core
    bool recordLatency = true; ///< engine.metrics: time every request (off: counts only)
    bool operator==(const EngineSpec &) const = default;
};

/// Everything a run needs, as one validated value. Each member is one setting of the table in
/// core/scenario/settings.h, by the same dotted path: db.rtt is db.rtt. JSON, --set,
/// --list-settings, the GUI's controls and live changes all go through that table.
struct Scenario {
    using Duration = std::chrono::nanoseconds;

    DbSpec db; ///< db.*
    WorkloadSpec workload; ///< workload.*
    CacheSpec cache; ///< cache.*
    DurationSpec duration; ///< duration.*
    WarmupSpec warmup; ///< warmup.*
    EngineSpec engine; ///< engine.*
    QList<Criterion> criteria = defaultCriteria(); ///< acceptance criteria
    QList<ScheduledChange> changes; ///< live changes made at set times, in order

    /// A warm-up is configured.
    bool warmsUp() const { return warmup.strategy != WarmupStrategy::None; }
    /// The settings that can change while a run goes on.
    static QStringList liveKeys();

    bool operator==(const Scenario &) const = default;

    /// The database as the run opens it: writable only when the workload writes.
    DataSourceSpec dataSource() const;
    int effectiveWorkers() const;

    /// Sets one field from its dotted key and a textual value; throws ScenarioError naming the
    /// key and what is wrong with the value.
    void set(const QString &key, const QString &value);
    /// Applies "KEY=VALUE".
    void applyAssignment(const QString &assignment);

    QJsonObject toJson() const;
    /// toJson() with every secret masked (a password in db.url): what results and reports keep.
    QJsonObject toPublicJson() const;
    /// Reads a scenario; fields left out keep their defaults; unknown fields are an error.
    static Scenario fromJson(const QJsonObject &json);
    static Scenario fromFile(const QString &path);
    /// True when the scenario file at \a path gives the dotted \a key explicitly.
    static bool fileSets(const QString &path, const QString &key);

    /// The targets the product exists to prove.
    static QList<Criterion> defaultCriteria();
};

} // namespace cachescope

Q_DECLARE_METATYPE(cachescope::Scenario)
