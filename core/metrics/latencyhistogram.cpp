#include "core/metrics/latencyhistogram.h"

#include <algorithm>
#include <cmath>

namespace cachescope {

using detail::HistogramLayout;

namespace {
void putVarint(std::vector<std::uint8_t> &out, std::uint64_t v)
{
    while (v >= 0x80) {
        out.push_back(std::uint8_t(v | 0x80));
        v >>= 7;
    }
    out.push_back(std::uint8_t(v));
}

std::uint64_t getVarint(const std::vector<std::uint8_t> &in, std::size_t &pos)
{
    std::uint64_t v = 0;
    for (int shift = 0; pos < in.size(); shift += 7) {
        const std::uint8_t byte = in[pos++];
        v |= std::uint64_t(byte & 0x7f) << shift;
        if (!(byte & 0x80))
            break;
    }
    return v;
}

// Writes the non-empty buckets of a histogram in ascending order.
class Packer {
public:
    explicit Packer(std::vector<std::uint8_t> &out)
        : m_out(out)
    {
        m_out.clear();
    }
    void add(int index, std::uint64_t count)
    {
        putVarint(m_out, std::uint64_t(index - m_last - 1));
        putVarint(m_out, count);
        m_last = index;
    }

private:
    std::vector<std::uint8_t> &m_out;
    int m_last = -1;
};
} // namespace

// Walks the non-empty buckets of a histogram, packed or not, in ascending order.
class LatencyHistogram::Cursor {
public:
    explicit Cursor(const LatencyHistogram &h)
        : m_h(h)
    {
    }
    /// The next non-empty bucket; false at the end.
    bool next()
    {
        if (!m_h.m_dense.empty()) {
            for (++index; index < int(m_h.m_dense.size()); ++index) {
                if ((count = m_h.m_dense[std::size_t(index)]) != 0)
                    return true;
            }
            return false;
        }
        if (m_pos >= m_h.m_packed.size())
            return false;
        index += int(getVarint(m_h.m_packed, m_pos)) + 1;
        count = getVarint(m_h.m_packed, m_pos);
        return true;
    }
    int index = -1; ///< the bucket's index
    std::uint64_t count = 0; ///< its count

private:
    const LatencyHistogram &m_h;
    std::size_t m_pos = 0;
};

LatencyHistogram::LatencyHistogram(const LatencyHistogram &other)
{
    copyFrom(other);
}

LatencyHistogram &LatencyHistogram::operator=(const LatencyHistogram &other)
{
    if (this != &other)
        copyFrom(other);
    return *this;
}

void LatencyHistogram::copyFrom(const LatencyHistogram &other)
{
    std::vector<std::uint64_t>().swap(m_dense);
    if (other.m_dense.empty()) {
        m_packed = other.m_packed;
    } else {
        Packer packer(m_packed);
        Cursor c(other);
        while (c.next())
            packer.add(c.index, c.count);
        m_packed.shrink_to_fit();
    }
    m_total = other.m_total;
    m_saturated = other.m_saturated;
    m_sum = other.m_sum;
    m_min = other.m_min;
    m_max = other.m_max;
}

void LatencyHistogram::unpack()
{
    if (!m_dense.empty())
        return;
    m_dense.assign(std::size_t(HistogramLayout::kCountsLength), 0);
    std::size_t pos = 0;
    int index = -1;
    while (pos < m_packed.size()) {
        index += int(getVarint(m_packed, pos)) + 1;
        m_dense[std::size_t(index)] = getVarint(m_packed, pos);
    }
    std::vector<std::uint8_t>().swap(m_packed);
}

void LatencyHistogram::pack()
{
    if (m_dense.empty())
        return;
    LatencyHistogram packed(*this);
    *this = std::move(packed);
}

void LatencyHistogram::record(std::int64_t nanos, std::uint64_t count)
{
    if (count == 0)
        return;
    unpack();
    if (nanos > HistogramLayout::kHighestTrackable) {
        m_saturated += count;
        nanos = HistogramLayout::kHighestTrackable;
    }
    nanos = std::max<std::int64_t>(nanos, 0);
    m_dense[std::size_t(HistogramLayout::indexOf(nanos))] += count;
    m_min = m_total ? std::min(m_min, nanos) : nanos;
    m_max = m_total ? std::max(m_max, nanos) : nanos;
    m_total += count;
    m_sum += nanos * std::int64_t(count);
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    if (other.m_total == 0)
        return;
    unpack();
    Cursor c(other);
    while (c.next())
        m_dense[std::size_t(c.index)] += c.count;
    m_min = m_total ? std::min(m_min, other.m_min) : other.m_min;
    m_max = m_total ? std::max(m_max, other.m_max) : other.m_max;
    m_total += other.m_total;
    m_sum += other.m_sum;
    m_saturated += other.m_saturated;
}

LatencyHistogram LatencyHistogram::deltaSince(const LatencyHistogram &earlier) const
{
    LatencyHistogram delta;
    Packer packer(delta.m_packed);
    Cursor now(*this);
    Cursor before(earlier);
    bool beforeLeft = before.next();
    bool first = true;
    while (now.next()) {
        while (beforeLeft && before.index < now.index)
            beforeLeft = before.next();
        const std::uint64_t old = beforeLeft && before.index == now.index ? before.count : 0;
        const std::uint64_t n = now.count >= old ? now.count - old : 0;
        if (n == 0)
            continue;
        packer.add(now.index, n);
        delta.m_total += n;
        // Exact min/max are not recoverable from two cumulative snapshots; the bucket bounds
        // are (within the histogram's precision).
        const auto lo = HistogramLayout::lowestEquivalent(now.index);
        const auto hi = std::min(HistogramLayout::highestEquivalent(now.index), m_max);
        delta.m_min = first ? lo : std::min(delta.m_min, lo);
        delta.m_max = first ? hi : std::max(delta.m_max, hi);
        first = false;
    }
    delta.m_packed.shrink_to_fit();
    delta.m_sum = m_sum - earlier.m_sum;
    delta.m_saturated = m_saturated - earlier.m_saturated;
    return delta;
}

void LatencyHistogram::reset()
{
    *this = LatencyHistogram();
}

std::int64_t LatencyHistogram::valueAtPercentile(double percentile) const
{
    if (m_total == 0)
        return 0;
    percentile = std::clamp(percentile, 0.0, 100.0);
    const auto rank = std::max<std::uint64_t>(1, std::uint64_t(std::ceil(percentile / 100.0 * double(m_total))));
    std::uint64_t seen = 0;
    Cursor c(*this);
    while (c.next()) {
        seen += c.count;
        if (seen >= rank)
            return std::clamp(HistogramLayout::highestEquivalent(c.index), m_min, m_max);
    }
    return m_max;
}

bool LatencyHistogram::operator==(const LatencyHistogram &other) const
{
    if (m_total != other.m_total || m_saturated != other.m_saturated || m_sum != other.m_sum || min() != other.min()
        || max() != other.max())
        return false;
    Cursor a(*this);
    Cursor b(other);
    while (true) {
        const bool moreA = a.next();
        const bool moreB = b.next();
        if (moreA != moreB)
            return false;
        if (!moreA)
            return true;
        if (a.index != b.index || a.count != b.count)
            return false;
    }
}

namespace {
constexpr std::uint8_t kEncodingVersion = 1;

// Zig-zag, so that a negative value (never recorded, but a corrupt file may hold one) stays small.
std::uint64_t zigzag(std::int64_t v)
{
    return (std::uint64_t(v) << 1) ^ std::uint64_t(v >> 63);
}

std::int64_t unzigzag(std::uint64_t v)
{
    return std::int64_t(v >> 1) ^ -std::int64_t(v & 1);
}
} // namespace

std::vector<std::uint8_t> LatencyHistogram::encode() const
{
    std::vector<std::uint8_t> out {kEncodingVersion};
    putVarint(out, m_total);
    putVarint(out, m_saturated);
    putVarint(out, zigzag(m_sum));
    putVarint(out, zigzag(min()));
    putVarint(out, zigzag(max()));
    std::vector<std::uint8_t> packed;
    Packer packer(packed);
    Cursor c(*this);
    while (c.next())
        packer.add(c.index, c.count);
    out.insert(out.end(), packed.begin(), packed.end());
    return out;
}

std::optional<LatencyHistogram> LatencyHistogram::decode(const std::vector<std::uint8_t> &bytes)
{
    if (bytes.empty() || bytes[0] != kEncodingVersion)
        return std::nullopt;
    std::size_t pos = 1;
    // A varint that runs off the end is truncated input.
    auto read = [&bytes, &pos](std::uint64_t &v) {
        if (pos >= bytes.size())
            return false;
        std::size_t end = pos;
        while (end < bytes.size() && (bytes[end] & 0x80))
            ++end;
        if (end >= bytes.size() || end - pos >= 10)
            return false;
        v = getVarint(bytes, pos);
        return true;
    };
    LatencyHistogram h;
    std::uint64_t sum = 0;
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
    if (!read(h.m_total) || !read(h.m_saturated) || !read(sum) || !read(lo) || !read(hi))
        return std::nullopt;
    h.m_sum = unzigzag(sum);
    h.m_min = unzigzag(lo);
    h.m_max = unzigzag(hi);
    if (h.m_min < 0 || h.m_max > HistogramLayout::kHighestTrackable || h.m_min > h.m_max || h.m_saturated > h.m_total)
        return std::nullopt;
    h.m_packed.assign(bytes.begin() + std::ptrdiff_t(pos), bytes.end());
    // Walk the counts: every index in range, every count non-zero, and they add up.
    std::int64_t index = -1;
    std::uint64_t counted = 0;
    while (pos < bytes.size()) {
        std::uint64_t gap = 0;
        std::uint64_t count = 0;
        if (!read(gap) || !read(count) || gap >= std::uint64_t(HistogramLayout::kCountsLength))
            return std::nullopt;
        index += std::int64_t(gap) + 1;
        if (index >= HistogramLayout::kCountsLength || count == 0 || count > h.m_total - counted)
            return std::nullopt;
        counted += count;
    }
    if (counted != h.m_total || (h.m_total == 0 && (h.m_min != 0 || h.m_max != 0)))
        return std::nullopt;
    return h;
}

LatencyRecorder::LatencyRecorder()
    : m_counts(new std::atomic<std::uint64_t>[std::size_t(HistogramLayout::kCountsLength)])
{
    for (int i = 0; i < HistogramLayout::kCountsLength; ++i)
        m_counts[std::size_t(i)].store(0, std::memory_order_relaxed);
}

LatencyHistogram LatencyRecorder::snapshot() const
{
    LatencyHistogram h;
    Packer packer(h.m_packed);
    int highest = -1;
    for (int i = 0; i < HistogramLayout::kCountsLength; ++i) {
        const std::uint64_t n = m_counts[std::size_t(i)].load(std::memory_order_relaxed);
        if (n == 0)
            continue;
        packer.add(i, n);
        h.m_total += n;
        highest = i;
    }
    h.m_packed.shrink_to_fit();
    h.m_sum = m_sum.load(std::memory_order_relaxed);
    h.m_max = m_max.load(std::memory_order_relaxed);
    h.m_min = h.m_total ? std::min(m_min.load(std::memory_order_relaxed), h.m_max) : 0;
    h.m_saturated = m_saturated.load(std::memory_order_relaxed);
    // A record raced with this read: take the max from the buckets.
    if (h.m_total && h.m_max == 0)
        h.m_max = HistogramLayout::highestEquivalent(highest);
    return h;
}

} // namespace cachescope
