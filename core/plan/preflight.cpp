#include "core/plan/preflight.h"

#include "core/cache/tracereplay.h"
#include "core/load/source.h"
#include "core/plan/warmupplanner.h"
#include "core/warmup/warmupsource.h"
#include "core/workload/keydistribution.h"

#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace cachescope {

TieredCacheConfig cacheConfig(const Scenario &s)
{
    TieredCacheConfig c;
    c.l1 = {std::size_t(s.cache.l1.capacity), s.cache.l1.ttl, 0, s.cache.l1.policy, std::size_t(s.cache.l1.maxBytes),
        s.cache.ttlJitter};
    c.l2 = {std::size_t(s.cache.l2.capacity), s.cache.l2.ttl, 0, s.cache.l2.policy, std::size_t(s.cache.l2.maxBytes),
        s.cache.ttlJitter};
    if (s.cache.l2Backend == L2Backend::Redis)
        c.l2.capacity = 0; // L2 is the Redis server
    c.negativeTtl = s.cache.negativeTtl;
    c.mode = s.cache.mode;
    c.writePolicy = s.cache.writePolicy;
    return c;
}

std::int64_t cacheCapacity(const Scenario &s)
{
    if (s.cache.l2.capacity <= 0 || s.cache.l2Backend == L2Backend::Redis)
        return s.cache.l1.capacity;
    return s.cache.mode == L2Mode::Exclusive ? s.cache.l1.capacity + s.cache.l2.capacity
                                             : std::max(s.cache.l1.capacity, s.cache.l2.capacity);
}

std::shared_ptr<const KeySpace> makeKeySpace(const Scenario &s, std::vector<std::int64_t> keys, QStringList &notes)
{
    checkScenario(s);
    // 16 bytes a request while the trace is mapped: 800 MB at the limit.
    constexpr std::uint64_t kMaxRunTraceKeys = 50'000'000;
    const std::size_t n = keys.size();
    if (s.workload.distribution == Distribution::Trace) {
        KeyTrace trace;
        try {
            // The run replays the trace from memory (each client from its own offset): bounded.
            const TraceReplay::Format format = s.workload.traceFormat == TraceFormat::Csv ? TraceReplay::Format::Csv
                : s.workload.traceFormat == TraceFormat::OracleGeneral ? TraceReplay::Format::OracleGeneral
                                                                       : TraceReplay::Format::Keys;
            trace = TraceReplay::read(s.workload.trace, format, s.workload.traceColumn, kMaxRunTraceKeys);
        } catch (const std::exception &error) {
            throw ScenarioError(u"workload.trace: "_s + QString::fromUtf8(error.what()));
        }
        if (trace.keys.empty()) {
            throw ScenarioError(u"workload.trace: '%1' holds no usable key (%2 bad line(s); %3)"_s.arg(s.workload.trace)
                                    .arg(trace.badLines)
                                    .arg(trace.badExamples.join(u"; "_s)));
        }
        if (trace.badLines > 0) {
            notes << u"trace '%1': %2 of %3 lines held no usable key and were left out (%4)"_s.arg(s.workload.trace)
                         .arg(trace.badLines)
                         .arg(trace.lines)
                         .arg(trace.badExamples.join(u"; "_s));
        }
        return std::make_shared<const KeySpace>(std::move(keys), trace.keys, s.workload.seed);
    }
    std::shared_ptr<const RankDistribution> distribution;
    if (s.workload.distribution == Distribution::Uniform)
        distribution = RankDistribution::uniform(n);
    else if (s.workload.distribution == Distribution::Hotspot || s.workload.distribution == Distribution::Shifting)
        distribution = RankDistribution::hotspot(n, s.workload.hotKeys, s.workload.hotRequests);
    else
        distribution = RankDistribution::zipf(n, s.workload.zipf);
    auto space = std::make_shared<KeySpace>(std::move(keys), std::move(distribution), s.workload.seed);
    if (s.workload.distribution == Distribution::Shifting) {
        space->setShift(RankDistribution::hotCount(n, s.workload.hotKeys), s.workload.shiftEvery.count());
    }
    return space;
}

void checkScenario(const Scenario &s)
{
    if (s.duration.cached.count() <= 0)
        throw ScenarioError(u"duration.cached: must be longer than 0"_s);
    if (s.workload.distribution == Distribution::Shifting && s.workload.shiftEvery.count() <= 0)
        throw ScenarioError(u"workload.shift_every: must be longer than 0 for the shifting distribution"_s);
    if (s.workload.distribution == Distribution::Trace && s.workload.trace.isEmpty())
        throw ScenarioError(u"workload.trace: the trace distribution needs a trace file"_s);
    const int workers = std::min(s.effectiveWorkers(), s.workload.concurrency);
    if (s.cache.instances > workers)
        throw ScenarioError(u"cache.instances: %1 instances need as many engine workers, and this run has %2 "
                            "(engine.workers, at most workload.concurrency)"_s.arg(s.cache.instances)
                                .arg(workers));
    if (s.cache.l2Backend == L2Backend::Redis)
        sharedTierConfig(s);
}

std::optional<RedisTierConfig> sharedTierConfig(const Scenario &s)
{
    if (s.cache.l2Backend != L2Backend::Redis)
        return std::nullopt;
    if (s.cache.l2Url.trimmed().isEmpty())
        throw ScenarioError(u"cache.l2.url: cache.l2.backend=redis needs the server's URL (redis://host:port)"_s);
    QString why;
    std::optional<RedisUrl> url = RedisUrl::parse(s.cache.l2Url, &why);
    if (!url)
        throw ScenarioError(u"cache.l2.url: "_s + why);
    if (!s.cache.l2PasswordFile.isEmpty()) {
        QFile file(s.cache.l2PasswordFile);
        if (!file.open(QIODevice::ReadOnly))
            throw ScenarioError(
                u"cache.l2.password_file: cannot read '%1' (%2)"_s.arg(s.cache.l2PasswordFile, file.errorString()));
        url->password = QString::fromUtf8(file.readLine()).trimmed();
    }
    if (s.cache.l2Prefix.isEmpty())
        throw ScenarioError(
            u"cache.l2.prefix: must not be empty (the run's keys would mix with everything on the server)"_s);
    RedisTierConfig config;
    config.url = *url;
    config.prefix = s.cache.l2Prefix.toUtf8();
    config.ttl = s.cache.l2.ttl;
    config.timeout
        = std::max(std::chrono::milliseconds(1), std::chrono::duration_cast<std::chrono::milliseconds>(s.db.timeout));
    config.tracking = s.cache.l2Tracking;
    return config;
}

QJsonObject checkSharedTier(const Scenario &s, const RedisTierConfig &config)
{
    RedisConnection connection(config.url, config.timeout);
    try {
        connection.open();
    } catch (const RedisError &error) {
        throw ScenarioError(u"cache.l2.url: "_s + QString::fromUtf8(error.what()));
    }
    const RedisAnswer info = connection.execBlocking({"INFO", "server"});
    const QString version = redisVersion(info);
    QJsonObject facts {{u"kind"_s, u"redis"_s}, {u"url"_s, config.url.masked()}, {u"server_version"_s, version},
        {u"tracking"_s, toString(config.tracking)}};
    if (config.tracking != L2Tracking::Off && !version.isEmpty() && version.section(u'.', 0, 0).toInt() < 6) {
        throw ScenarioError(
            u"cache.l2.tracking: %1 is Redis %2, and invalidation through CLIENT TRACKING needs Redis 6 or "
            "newer: set cache.l2.tracking=off (L1 copies then live until their TTL)"_s.arg(
                config.url.masked(), version));
    }
    const RedisAnswer policy = connection.execBlocking({"CONFIG", "GET", "maxmemory-policy"});
    if (policy.ok() && policy.value.elements.size() == 2)
        facts.insert(u"maxmemory_policy"_s, QString::fromLatin1(policy.value.elements[1].text));
    const RedisAnswer maxmemory = connection.execBlocking({"CONFIG", "GET", "maxmemory"});
    if (maxmemory.ok() && maxmemory.value.elements.size() == 2)
        facts.insert(u"maxmemory"_s, maxmemory.value.elements[1].text.toDouble());
    // The prefix must be CacheScope's: a sample of what is under it (earlier runs' rows are ours).
    QByteArray cursor = "0";
    int looked = 0;
    do {
        const RedisAnswer page
            = connection.execBlocking({"SCAN", cursor, "MATCH", config.prefix + '*', "COUNT", "1000"});
        if (!page.ok() || page.value.elements.size() != 2)
            break;
        cursor = page.value.elements[0].text;
        for (const RedisValue &name : page.value.elements[1].elements) {
            const RedisAnswer head = connection.execBlocking({"GETRANGE", name.text, "0", "3"});
            if (!head.ok() || !RedisTier::isOwnValue(head.value.text)) {
                throw ScenarioError(
                    u"cache.l2.prefix: '%1' on %2 already holds data that is not CacheScope's (key '%3'): "
                    "give the run a prefix of its own"_s.arg(
                        s.cache.l2Prefix, config.url.masked(), QString::fromUtf8(name.text)));
            }
            if (++looked >= 100)
                break;
        }
    } while (cursor != "0" && looked < 100);
    return facts;
}

RunInputs preflight(const Scenario &s, const QString &databasePath)
{
    checkScenario(s);
    RunInputs in;
    in.spec = s.dataSource();
    in.spec.path = databasePath;
    if (!in.spec.isServer() && !QFileInfo::exists(databasePath))
        throw ScenarioError(u"db.path: database file '"_s + databasePath + u"' does not exist"_s);
    const TableInfo table = inspectTable(in.spec);
    Projection projection = resolveProjection(in.spec, s.workload.fields);
    // Stale reads: the version column writes bump. A column the user names must be one; "auto"
    // takes a column named version when there is one. Only a workload that writes uses it.
    const QString wanted = s.db.versionColumn.trimmed();
    QString column;
    if (wanted.compare(u"auto"_s, Qt::CaseInsensitive) == 0) {
        const auto at = table.columns.indexOf(u"version"_s);
        if (at >= 0 && at != table.columns.indexOf(in.spec.keyColumn) && isIntegerTypeName(table.types.value(at)))
            column = u"version"_s;
    } else if (!wanted.isEmpty() && wanted.compare(u"off"_s, Qt::CaseInsensitive) != 0) {
        TableSchema schema;
        schema.table = in.spec.table;
        schema.keyColumn = in.spec.keyColumn;
        schema.columns = table.columns;
        schema.types = table.types;
        schema.keyIndex = int(table.columns.indexOf(in.spec.keyColumn));
        versionColumnIndex(schema, wanted);
        column = wanted;
    }
    if (column.isEmpty() && in.spec.writable && wanted.compare(u"auto"_s, Qt::CaseInsensitive) == 0) {
        in.notes << u"stale reads are not measured: table '%1' has no integer column 'version' (db.version_column "
                    "names the column writes bump)"_s.arg(in.spec.table);
    }
    if (!column.isEmpty() && in.spec.writable) {
        in.spec.versionColumn = column;
        in.versionIndex = int(table.columns.indexOf(column));
        if (!projection.columns().contains(in.versionIndex)) {
            // Each row read must carry its version to be judged by it.
            projection = resolveProjection(in.spec, projection.toString() + u","_s + column);
            in.notes << u"workload.fields: the version column '%1' (db.version_column) is read with the projection, "
                        "so that every read can be checked for staleness"_s.arg(column);
        }
    }
    in.projection = std::make_shared<const Projection>(std::move(projection));
    if (s.db.primaryAfterWrite.count() > 0 && (in.spec.replicas.isEmpty() || in.spec.versionColumn.isEmpty())) {
        in.notes << u"db.primary_after_write does nothing here: it needs read replicas (db.replicas), writes and a "
                    "version column (db.version_column)"_s;
    }
    std::vector<std::int64_t> keys = loadKeys(in.spec, s.workload.keys);
    if (keys.empty())
        throw DataError(-1, u"table '"_s + in.spec.table + u"' has no rows to read"_s);
    in.keysUsed = std::int64_t(keys.size());
    in.keySpace = makeKeySpace(s, std::move(keys), in.notes);
    // The warm-up's sources are read the same way by the run.
    if (const QString problem = WarmupPlanner::checkSnapshotPath(s, in.spec); !problem.isEmpty())
        throw ScenarioError(problem);
    if (s.warmup.strategy == WarmupStrategy::KeysFile)
        WarmupSource::readKeysFile(s.warmup.keysFile);
    else if (s.warmup.strategy == WarmupStrategy::Query)
        WarmupSource::queryKeys(in.spec, s.warmup.orderBy, 1);
    in.sharedTier = sharedTierConfig(s);
    if (in.sharedTier) {
        in.sharedTierFacts = checkSharedTier(s, *in.sharedTier);
        if (s.cache.l2.capacity > 0)
            in.notes << u"cache.l2.capacity does not apply to a Redis L2: its size is the server's maxmemory (%1)"_s
                            .arg(in.sharedTierFacts.value(u"maxmemory"_s).toDouble() > 0
                                    ? u"%1 bytes"_s.arg(qint64(in.sharedTierFacts.value(u"maxmemory"_s).toDouble()))
                                    : u"none"_s);
    }
    return in;
}

bool isBadInput(const std::exception &error)
{
    return dynamic_cast<const ScenarioError *>(&error) || dynamic_cast<const DataError *>(&error)
        || dynamic_cast<const ProjectionError *>(&error) || dynamic_cast<const WarmupError *>(&error);
}

void applyDuration(Scenario &s, std::chrono::nanoseconds cached, bool fileSetsBaseline)
{
    s.duration.cached = cached;
    if (!fileSetsBaseline)
        s.duration.baseline = cached / 2;
}

} // namespace cachescope
