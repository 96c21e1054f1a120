#include "core/plan/preflight.h"

#include "core/cache/tracereplay.h"
#include "core/workload/keydistribution.h"

using namespace Qt::StringLiterals;

namespace cachescope {

TieredCacheConfig cacheConfig(const Scenario &s)
{
    TieredCacheConfig c;
    c.l1 = {std::size_t(s.cache.l1.capacity), s.cache.l1.ttl, 0, s.cache.l1.policy, std::size_t(s.cache.l1.maxBytes),
        s.cache.ttlJitter};
    c.l2 = {std::size_t(s.cache.l2.capacity), s.cache.l2.ttl, 0, s.cache.l2.policy, std::size_t(s.cache.l2.maxBytes),
        s.cache.ttlJitter};
    c.mode = s.cache.mode == L2Mode::Exclusive ? L2Mode::Exclusive : L2Mode::Inclusive;
    c.writePolicy
        = s.cache.writePolicy == WritePolicy::WriteThrough ? WritePolicy::WriteThrough : WritePolicy::Invalidate;
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
    // 16 bytes a request while the trace is mapped: 800 MB at the limit.
    constexpr std::uint64_t kMaxRunTraceKeys = 50'000'000;
    const std::size_t n = keys.size();
    if (s.workload.distribution == Distribution::Trace) {
        if (s.workload.trace.isEmpty())
            throw ScenarioError(u"workload.trace: the trace distribution needs a trace file"_s);
        KeyTrace trace;
        try {
            // The run replays the trace from memory (each client from its own offset): bounded.
            trace = TraceReplay::read(s.workload.trace,
                s.workload.traceFormat == TraceFormat::Csv ? TraceReplay::Format::Csv : TraceReplay::Format::Keys,
                s.workload.traceColumn, kMaxRunTraceKeys);
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
        if (s.workload.shiftEvery.count() <= 0)
            throw ScenarioError(u"workload.shift_every: must be longer than 0 for the shifting distribution"_s);
        space->setShift(RankDistribution::hotCount(n, s.workload.hotKeys), s.workload.shiftEvery.count());
    }
    return space;
}

} // namespace cachescope
