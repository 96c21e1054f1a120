#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace cachescope {

namespace detail {
/// Bucket layout of a log-linear histogram (as HdrHistogram): values in nanoseconds, 2048
/// linear sub-buckets per power of two, so every recorded value is kept to 3 significant
/// digits (relative error below 1/1024), from 1 ns up to one hour. Anything larger is
/// recorded as one hour and counted as saturated.
struct HistogramLayout {
    static constexpr int kSubBucketHalfCountMagnitude = 10;
    static constexpr std::int64_t kSubBucketHalfCount = std::int64_t(1) << kSubBucketHalfCountMagnitude;
    static constexpr std::int64_t kSubBucketMask = 2 * kSubBucketHalfCount - 1;
    static constexpr std::int64_t kHighestTrackable = 3'600'000'000'000; // one hour in ns
    static constexpr int kBucketCount = 32; // smallest b with 2047 << (b-1) >= one hour
    static constexpr int kCountsLength = (kBucketCount + 1) * int(kSubBucketHalfCount);

    static int indexOf(std::int64_t value)
    {
        const int pow2ceiling = 64 - __builtin_clzll(std::uint64_t(value | kSubBucketMask));
        const int bucket = pow2ceiling - (kSubBucketHalfCountMagnitude + 1);
        const auto subBucket = int(value >> bucket);
        return ((bucket + 1) << kSubBucketHalfCountMagnitude) + (subBucket - int(kSubBucketHalfCount));
    }
    static std::int64_t lowestEquivalent(int index)
    {
        int bucket = (index >> kSubBucketHalfCountMagnitude) - 1;
        std::int64_t subBucket = (index & (kSubBucketHalfCount - 1)) + kSubBucketHalfCount;
        if (bucket < 0) {
            subBucket -= kSubBucketHalfCount;
            bucket = 0;
        }
        return subBucket << bucket;
    }
    static std::int64_t highestEquivalent(int index)
    {
        int bucket = (index >> kSubBucketHalfCountMagnitude) - 1;
        bucket = bucket < 0 ? 0 : bucket;
        return lowestEquivalent(index) + (std::int64_t(1) << bucket) - 1;
    }
};
} // namespace detail

/// A mergeable latency histogram (plain value): counts per log-linear bucket plus exact
/// count, sum, min and max. Percentiles are exact to the bucket (3 significant digits) and
/// never exceed the largest value recorded.
///
/// At rest (a copy, a snapshot, a delta: what results keep) the counts are packed, a few bytes
/// per non-empty bucket (~20 KB for a phase of a million requests instead of 270 KB); recording
/// or merging into one unpacks it into the full bucket array until it is copied or pack()ed.
class LatencyHistogram {
public:
    LatencyHistogram() = default;
    /// A packed copy.
    LatencyHistogram(const LatencyHistogram &other);
    /// A packed copy.
    LatencyHistogram &operator=(const LatencyHistogram &other);
    LatencyHistogram(LatencyHistogram &&other) noexcept = default;
    LatencyHistogram &operator=(LatencyHistogram &&other) noexcept = default;
    ~LatencyHistogram() = default;

    void record(std::int64_t nanos, std::uint64_t count = 1);
    void merge(const LatencyHistogram &other);
    /// this − earlier, for two cumulative snapshots of the same recorder (count-wise). Packed.
    LatencyHistogram deltaSince(const LatencyHistogram &earlier) const;
    void reset();
    /// Packs the counts (what a copy does), releasing the full bucket array.
    void pack();

    std::uint64_t count() const { return m_total; }
    std::uint64_t saturated() const { return m_saturated; }
    std::int64_t min() const { return m_total ? m_min : 0; }
    std::int64_t max() const { return m_total ? m_max : 0; }
    double mean() const { return m_total ? double(m_sum) / double(m_total) : 0.0; }
    /// The value at \a percentile (0–100]: the highest value equivalent (within the histogram's
    /// precision) to the recorded value at that rank, capped at max(). 0 when empty.
    std::int64_t valueAtPercentile(double percentile) const;
    /// Bytes the counts take now (packed or not): what a result pays per histogram.
    std::size_t countBytes() const { return m_dense.size() * sizeof(std::uint64_t) + m_packed.size(); }

    /// Same counts and totals, packed or not.
    bool operator==(const LatencyHistogram &other) const;

    /// The histogram as bytes (its totals, then the packed counts): what a saved result keeps so
    /// that a report regenerated from it has the same percentiles.
    std::vector<std::uint8_t> encode() const;
    /// The histogram \a bytes encode; nullopt when they are not one (truncated, a bucket out of
    /// range, counts that do not add up to the total, min above max).
    static std::optional<LatencyHistogram> decode(const std::vector<std::uint8_t> &bytes);

private:
    friend class LatencyRecorder;
    class Cursor;
    void unpack();
    void copyFrom(const LatencyHistogram &other);

    std::vector<std::uint64_t> m_dense; // all kCountsLength counts while recording; else empty
    std::vector<std::uint8_t> m_packed; // else: (gap to the bucket's index, count) varints, ascending
    std::uint64_t m_total = 0;
    std::uint64_t m_saturated = 0;
    std::int64_t m_sum = 0;
    std::int64_t m_min = 0;
    std::int64_t m_max = 0;
};

/// The recording side, for the hot path: written by exactly one thread (no locked
/// instructions, no allocation), read from any thread through snapshot(). The reader may see a
/// record half-applied (count bumped, max not yet), which only moves it to the next snapshot;
/// totals read after the writer has stopped are exact.
class LatencyRecorder {
public:
    LatencyRecorder();

    void record(std::int64_t nanos)
    {
        const std::int64_t v = clamp(nanos);
        auto &slot = m_counts[std::size_t(detail::HistogramLayout::indexOf(v))];
        slot.store(slot.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        m_sum.store(m_sum.load(std::memory_order_relaxed) + v, std::memory_order_relaxed);
        if (v > m_max.load(std::memory_order_relaxed))
            m_max.store(v, std::memory_order_relaxed);
        if (v < m_min.load(std::memory_order_relaxed))
            m_min.store(v, std::memory_order_relaxed);
        if (nanos > detail::HistogramLayout::kHighestTrackable)
            m_saturated.store(m_saturated.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    }

    /// Cumulative copy of everything recorded so far.
    LatencyHistogram snapshot() const;

private:
    static std::int64_t clamp(std::int64_t nanos)
    {
        return nanos < 0
            ? 0
            : (nanos > detail::HistogramLayout::kHighestTrackable ? detail::HistogramLayout::kHighestTrackable : nanos);
    }
    std::unique_ptr<std::atomic<std::uint64_t>[]> m_counts;
    std::atomic<std::int64_t> m_sum {0};
    std::atomic<std::int64_t> m_min {detail::HistogramLayout::kHighestTrackable};
    std::atomic<std::int64_t> m_max {0};
    std::atomic<std::uint64_t> m_saturated {0};
};

} // namespace cachescope
