#include "core/plan/preflight.h"

#include "core/cache/tracereplay.h"
#include "core/load/source.h"
#include "core/plan/warmupplanner.h"
#include "core/warmup/warmupsource.h"
#include "core/workload/keydistribution.h"

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
    c.negativeTtl = s.cache.negativeTtl;
    c.mode = s.cache.mode;
    c.writePolicy = s.cache.writePolicy;
    return c;
}

std::int64_t cacheCapacity(const Scenario &s)
{
    if (s.cache.l2.capacity <= 0)
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
