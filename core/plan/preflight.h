#pragma once

#include "core/cache/tieredcache.h"
#include "core/scenario/scenario.h"

#include <QStringList>

#include <cstdint>
#include <memory>
#include <vector>

namespace cachescope {

class KeySpace;

/// The keys and their popularity a scenario describes (trace files read and mapped here); notes
/// receives what the user should know (bad trace lines). Throws ScenarioError.
std::shared_ptr<const KeySpace> makeKeySpace(
    const Scenario &scenario, std::vector<std::int64_t> keys, QStringList &notes);
/// The cache a scenario describes.
TieredCacheConfig cacheConfig(const Scenario &scenario);
/// The most keys the cache described can hold at once (what a warm-up may usefully load).
std::int64_t cacheCapacity(const Scenario &scenario);

} // namespace cachescope
