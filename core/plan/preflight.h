#pragma once

#include "core/cache/tieredcache.h"
#include "core/load/datasource.h"
#include "core/projection/projection.h"
#include "core/redis/redistier.h"
#include "core/scenario/scenario.h"

#include <QJsonObject>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace cachescope {

class KeySpace;

/// What a run reads before its phases, checked: the database as the run opens it, the validated
/// projection, the keys and their popularity, and what the user should know of them.
struct RunInputs {
    DataSourceSpec spec; ///< the database (db.path resolved to the demo database's file when empty)
    std::shared_ptr<const Projection> projection; ///< workload.fields, checked against the table
    std::shared_ptr<const KeySpace> keySpace; ///< the keys drawn from and their popularity
    std::int64_t keysUsed = 0; ///< distinct keys (≤ workload.keys when the table is smaller)
    int versionIndex = -1; ///< stale reads: the position of spec.versionColumn in the table (-1 = not checked)
    QStringList notes; ///< bad trace lines and the like
    std::optional<RedisTierConfig> sharedTier; ///< cache.l2.backend=redis: the server, checked
    QJsonObject sharedTierFacts; ///< what the environment shows of it (version, maxmemory policy)
};

/// The checks of a scenario that need no file: rules across settings. Throws ScenarioError
/// naming the setting.
void checkScenario(const Scenario &scenario);
/// The one preflight of a run, for the command line and the runner alike: checkScenario(), then
/// the database file (never created: a missing one is bad input), its table, key column and
/// rows, workload.fields, the trace, the warm-up's snapshot path, keys file and query. \a
/// databasePath is the file to use (db.path, or the demo database's). Reads, never writes.
/// Throws ScenarioError, DataError, ProjectionError, WarmupError or DbError, each naming the input.
RunInputs preflight(const Scenario &scenario, const QString &databasePath);
/// Whether \a error (from preflight()) names input that cannot be used, rather than a failure.
bool isBadInput(const std::exception &error);
/// --duration SECONDS: the cached phase that long, the baseline half as long unless the
/// scenario file sets duration.baseline (\a fileSetsBaseline).
void applyDuration(Scenario &scenario, std::chrono::nanoseconds cached, bool fileSetsBaseline);

/// The keys and their popularity a scenario describes (trace files read and mapped here); notes
/// receives what the user should know (bad trace lines). Throws ScenarioError.
std::shared_ptr<const KeySpace> makeKeySpace(
    const Scenario &scenario, std::vector<std::int64_t> keys, QStringList &notes);
/// The cache a scenario describes.
TieredCacheConfig cacheConfig(const Scenario &scenario);
/// The Redis L2 a scenario describes (nullopt: L2 in process), its password read from
/// cache.l2.password_file when one is named. Throws ScenarioError naming the setting.
std::optional<RedisTierConfig> sharedTierConfig(const Scenario &scenario);
/// Connects to the Redis L2 and checks what a run needs of it: the server answers, takes the
/// password, has CLIENT TRACKING (Redis 6 or newer) when cache.l2.tracking asks for it, and the
/// prefix holds nothing that is not CacheScope's. Throws ScenarioError (bad input, exit 2) naming
/// the setting and the masked URL. Returns what the result's environment shows of the server.
QJsonObject checkSharedTier(const Scenario &scenario, const RedisTierConfig &config);
/// The most keys the cache described can hold at once (what a warm-up may usefully load).
std::int64_t cacheCapacity(const Scenario &scenario);

} // namespace cachescope
