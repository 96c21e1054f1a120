#include "core/metrics/coldstart.h"

namespace cachescope {

namespace {
std::uint64_t readsOf(const MetricsSnapshot &s)
{
    return s.hits + s.misses;
}
} // namespace

std::vector<RampPoint> hitRateRamp(const QList<MetricsSnapshot> &series, Phase phase, double window)
{
    std::vector<const MetricsSnapshot *> points;
    for (const MetricsSnapshot &s : series) {
        if (s.phase == phase)
            points.push_back(&s);
    }
    std::vector<RampPoint> ramp;
    ramp.reserve(points.size());
    std::uint64_t hits = 0, reads = 0;
    std::size_t first = 0; // oldest snapshot inside the window
    for (std::size_t i = 0; i < points.size(); ++i) {
        hits += points[i]->hits;
        reads += readsOf(*points[i]);
        // A snapshot is in the window when the interval it covers starts inside it (a few
        // milliseconds of slack for the sampler's jitter).
        const double windowStart = points[i]->phaseTime - window;
        while (first < i && points[first]->phaseTime - points[first]->interval < windowStart - 0.005) {
            hits -= points[first]->hits;
            reads -= readsOf(*points[first]);
            ++first;
        }
        ramp.push_back({points[i]->phaseTime, reads ? double(hits) / double(reads) : 0.0});
    }
    return ramp;
}

std::optional<ColdStart> measureColdStart(
    const QList<MetricsSnapshot> &series, Phase phase, double reach, double window)
{
    double end = 0.0;
    for (const MetricsSnapshot &s : series) {
        if (s.phase == phase)
            end = std::max(end, s.phaseTime);
    }
    std::uint64_t hits = 0, reads = 0;
    for (const MetricsSnapshot &s : series) {
        if (s.phase == phase && s.phaseTime - s.interval >= end / 2 - 0.005) {
            hits += s.hits;
            reads += readsOf(s);
        }
    }
    if (reads == 0 || hits == 0)
        return std::nullopt;
    ColdStart result;
    result.steadyHitRate = double(hits) / double(reads);
    result.threshold = reach * result.steadyHitRate;
    for (const RampPoint &point : hitRateRamp(series, phase, window)) {
        if (point.hitRate >= result.threshold) {
            result.seconds = point.phaseTime;
            return result;
        }
    }
    return std::nullopt;
}

} // namespace cachescope
