#include "core/plan/preflight.h"

#include "core/cache/tracereplay.h"
#include "core/workload/keydistribution.h"

using namespace Qt::StringLiterals;

namespace cachescope {

TieredCacheConfig cacheConfig(const Scenario &s)
{
    TieredCacheConfig c;
    c.l1 = {std::size_t(s.l1Capacity), s.l1Ttl, 0, s.l1Policy, std::size_t(s.l1MaxBytes), s.ttlJitter};
    c.l2 = {std::size_t(s.l2Capacity), s.l2Ttl, 0, s.l2Policy, std::size_t(s.l2MaxBytes), s.ttlJitter};
    c.mode = s.cacheMode == u"exclusive"_s ? L2Mode::Exclusive : L2Mode::Inclusive;
    c.writePolicy = s.writePolicy == u"write-through"_s ? WritePolicy::WriteThrough : WritePolicy::Invalidate;
    return c;
}

std::int64_t cacheCapacity(const Scenario &s)
{
    if (s.l2Capacity <= 0)
        return s.l1Capacity;
    return s.cacheMode == u"exclusive"_s ? s.l1Capacity + s.l2Capacity : std::max(s.l1Capacity, s.l2Capacity);
}

std::shared_ptr<const KeySpace> makeKeySpace(const Scenario &s, std::vector<std::int64_t> keys, QStringList &notes)
{
    // 16 bytes a request while the trace is mapped: 800 MB at the limit.
    constexpr std::uint64_t kMaxRunTraceKeys = 50'000'000;
    const std::size_t n = keys.size();
    if (s.distribution == u"trace"_s) {
        if (s.trace.isEmpty())
            throw ScenarioError(u"workload.trace: the trace distribution needs a trace file"_s);
        KeyTrace trace;
        try {
            // The run replays the trace from memory (each client from its own offset): bounded.
            trace = TraceReplay::read(s.trace,
                s.traceFormat == u"csv"_s ? TraceReplay::Format::Csv : TraceReplay::Format::Keys, s.traceColumn,
                kMaxRunTraceKeys);
        } catch (const std::exception &error) {
            throw ScenarioError(u"workload.trace: "_s + QString::fromUtf8(error.what()));
        }
        if (trace.keys.empty()) {
            throw ScenarioError(u"workload.trace: '%1' holds no usable key (%2 bad line(s); %3)"_s.arg(s.trace)
                                    .arg(trace.badLines)
                                    .arg(trace.badExamples.join(u"; "_s)));
        }
        if (trace.badLines > 0) {
            notes << u"trace '%1': %2 of %3 lines held no usable key and were left out (%4)"_s.arg(s.trace)
                         .arg(trace.badLines)
                         .arg(trace.lines)
                         .arg(trace.badExamples.join(u"; "_s));
        }
        return std::make_shared<const KeySpace>(std::move(keys), trace.keys, s.seed);
    }
    std::shared_ptr<const RankDistribution> distribution;
    if (s.distribution == u"uniform"_s)
        distribution = RankDistribution::uniform(n);
    else if (s.distribution == u"hotspot"_s || s.distribution == u"shifting"_s)
        distribution = RankDistribution::hotspot(n, s.hotKeys, s.hotRequests);
    else
        distribution = RankDistribution::zipf(n, s.zipf);
    auto space = std::make_shared<KeySpace>(std::move(keys), std::move(distribution), s.seed);
    if (s.distribution == u"shifting"_s) {
        if (s.shiftEvery.count() <= 0)
            throw ScenarioError(u"workload.shift_every: must be longer than 0 for the shifting distribution"_s);
        space->setShift(RankDistribution::hotCount(n, s.hotKeys), s.shiftEvery.count());
    }
    return space;
}

} // namespace cachescope
