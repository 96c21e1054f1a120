#pragma once

#include "core/load/datasource.h"

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

    bool operator==(const Criterion &) const = default;
};

/// A live change the scenario makes at a set time of a phase (what the GUI's controls do by hand):
/// headless runs get segments too.
struct ScheduledChange {
    QString phase = QStringLiteral("cached"); ///< "baseline" or "cached"
    std::chrono::nanoseconds at {0}; ///< time into the phase (after its warm-up)
    QStringList set; ///< "key=value" assignments of live keys
    bool operator==(const ScheduledChange &) const = default;
};

/// Everything a run needs, as one validated value. The JSON form and the command line's
/// --set KEY=VALUE use the same dotted keys (see docs/scenario.md and Scenario::settings()).
struct Scenario {
    using Duration = std::chrono::nanoseconds;

    // db.*
    QString dbPath; ///< empty = the demo database in the user's data directory
    QString dbTable = QStringLiteral("products"); ///< table to read
    QString dbKey = QStringLiteral("id"); ///< integer key column
    Duration dbRtt {0}; ///< simulated network round-trip added to every statement
    Duration dbRttJitter {0}; ///< each round-trip varies uniformly by up to ± this
    double dbFailureRate = 0.0; ///< share of statements that fail (simulated)
    int dbRetries = 0; ///< extra attempts of a statement that failed with a retryable error
    Duration dbRetryBackoff = std::chrono::milliseconds(1); ///< base of the exponential backoff (full jitter)
    int dbConnections = 0; ///< statements in flight at once per worker thread (a pool); 0 = no limit
    Duration dbStall {0}; ///< a stall (the connection blocks) every dbStallEvery statements
    std::int64_t dbStallEvery = 0; ///< statements between two stalls; 0 = never

    // workload.*
    QString distribution = QStringLiteral("zipf"); ///< "zipf", "uniform", "hotspot", "shifting" or "trace"
    double hotKeys = 0.2; ///< hotspot/shifting: share of the keys that are hot
    double hotRequests = 0.8; ///< hotspot/shifting: share of the requests that go to them
    Duration shiftEvery = std::chrono::seconds(10); ///< shifting: the hot set moves this often
    QString trace; ///< trace: the trace file
    QString traceFormat = QStringLiteral("keys"); ///< trace: "keys" or "csv"
    int traceColumn = 1; ///< trace: the key's column in a CSV (1-based)
    double zipf = 0.99; ///< Zipf exponent
    std::int64_t keys = 100000; ///< distinct keys drawn from the table
    std::uint64_t seed = 42; ///< seed of every random choice
    int concurrency = 16; ///< closed-model clients
    double readRatio = 1.0; ///< share of requests that are reads (the rest write the row)
    QString model = QStringLiteral("closed"); ///< load model: "closed" or "open"
    double rate = 5000.0; ///< open model: target requests per second (all clients together)
    QString arrival = QStringLiteral("poisson"); ///< open model: "poisson" or "constant" arrivals
    Duration thinkTime {0}; ///< closed model: pause of each client between two requests
    QString fields; ///< projection: comma-separated column names; empty = all columns

    // cache.l1.*
    std::int64_t l1Capacity = 20000; ///< L1 entries
    Duration l1Ttl = std::chrono::seconds(60); ///< L1 time to live (0 = none)
    QString l1Policy = QStringLiteral("lru"); ///< eviction policy
    std::int64_t l1MaxBytes = 0; ///< L1 byte limit (0 = entries only)
    double ttlJitter = 0.0; ///< random share (0 … 0.5) taken off each entry's TTL, both tiers

    // cache.l2.*, cache.mode, cache.write_policy
    std::int64_t l2Capacity = 0; ///< L2 entries; 0 = no L2
    Duration l2Ttl = std::chrono::minutes(5); ///< L2 time to live (0 = none)
    QString l2Policy = QStringLiteral("lru"); ///< L2 eviction policy
    std::int64_t l2MaxBytes = 0; ///< L2 byte limit (0 = entries only)
    QString cacheMode = QStringLiteral("inclusive"); ///< "inclusive" or "exclusive" L2
    QString writePolicy = QStringLiteral("invalidate"); ///< "invalidate" or "write-through"
    QString batchLoads = QStringLiteral("false"); ///< "true": misses coalesced into IN (...) loads
    Duration batchWindow = std::chrono::microseconds(200); ///< how long a batch gathers loads
    int batchMax = 64; ///< largest batch

    // duration.*
    Duration baselineDuration = std::chrono::seconds(5); ///< uncached phase
    Duration cachedDuration = std::chrono::seconds(10); ///< cached phase
    Duration warmupDuration {0}; ///< run before each phase's measured part, left out of its figures

    // warmup.*
    QString warmupStrategy = QStringLiteral("none"); ///< "none", "top-n", "keys-file" or "query"
    std::int64_t warmupKeys = 10000; ///< most keys a warm-up loads
    QString warmupKeysFile; ///< keys-file: the file
    QString warmupOrderBy; ///< query: "column [asc|desc], ..."
    Duration warmupMaxTime = std::chrono::seconds(30); ///< time budget (0 = none)
    int warmupConcurrency = 4; ///< statements in flight at once, all workers together
    int warmupBatch = 100; ///< keys per statement
    QString warmupPriority = QStringLiteral("background"); ///< "background" or "foreground"
    QString warmupAuto = QStringLiteral("false"); ///< "true": N from the last run's suggestion
    double warmupCoverage = 0.9; ///< share of reads the suggested N covers
    QString warmupCompare = QStringLiteral("true"); ///< "true": a cold run of the cached phase first
    QString warmupSnapshot; ///< hot-set snapshot file; empty = the default in the data folder

    /// A warm-up is configured.
    bool warmsUp() const { return warmupStrategy != QStringLiteral("none"); }

    // engine.*
    int workers = 0; ///< engine worker threads; 0 = one per core
    QString metrics = QStringLiteral("on"); ///< "on": time every request; "off": counts only

    QList<Criterion> criteria = defaultCriteria(); ///< acceptance criteria
    QList<ScheduledChange> changes; ///< live changes made at set times, in order

    /// The settings that can change while a run goes on.
    static QStringList liveKeys();

    bool operator==(const Scenario &) const = default;

    /// The database as the run opens it: writable only when the workload writes.
    DataSourceSpec dataSource() const { return {dbPath, dbTable, dbKey, readRatio < 1.0}; }
    int effectiveWorkers() const;

    /// Sets one field from its dotted key and a textual value; throws ScenarioError naming the
    /// key and what is wrong with the value.
    void set(const QString &key, const QString &value);
    /// Applies "KEY=VALUE".
    void applyAssignment(const QString &assignment);

    QJsonObject toJson() const;
    /// Reads a scenario; fields left out keep their defaults; unknown fields are an error.
    static Scenario fromJson(const QJsonObject &json);
    static Scenario fromFile(const QString &path);
    /// True when the scenario file at \a path gives the dotted \a key explicitly.
    static bool fileSets(const QString &path, const QString &key);

    /// The targets the product exists to prove.
    static QList<Criterion> defaultCriteria();

    /// Description of every settable key, for help texts and docs.
    struct SettingInfo {
        QString key; ///< dotted key
        QString type; ///< "integer", "number", "duration", "text" or "choice"
        QString defaultValue; ///< textual default
        QString help; ///< one line
    };
    static QList<SettingInfo> settings();
};

/// A scenario or setting that cannot be used, with a message naming the field.
class ScenarioError : public std::runtime_error {
public:
    explicit ScenarioError(const QString &message)
        : std::runtime_error(message.toStdString())
    {
    }
    QString message() const { return QString::fromUtf8(what()); }
};

/// "250us", "5ms", "30s", "2m", "1h" (a bare number is seconds); nullopt when malformed.
std::optional<std::chrono::nanoseconds> parseDuration(const QString &text);
/// The shortest exact form of a duration in those units.
QString formatDuration(std::chrono::nanoseconds duration);

} // namespace cachescope

Q_DECLARE_METATYPE(cachescope::Scenario)
