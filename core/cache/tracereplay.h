#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace cachescope {

/// A key trace read from a file, with an account of the lines that could not be used.
struct KeyTrace {
    std::vector<std::int64_t> keys; ///< keys in access order
    std::uint64_t lines = 0; ///< lines read (blank lines and a CSV header excluded)
    std::uint64_t badLines = 0; ///< lines that held no usable key
    QStringList badExamples; ///< the first few bad lines, "line N: why"
    bool headerSkipped = false; ///< a CSV header line was recognised and skipped
};

/// Replays key traces through one cache tier, without a database (what `cachescope simulate`
/// does).
namespace TraceReplay {

enum class Format {
    Keys, ///< one unsigned 64-bit integer key per line
    Csv, ///< comma-separated; the key is in a given column (integers as such, other text hashed)
};

/// Reads a trace. \a keyColumn is 1-based (CSV only). A first CSV line whose key field is not
/// an integer is taken as a header (so a CSV of text keys needs a header line). Throws
/// std::runtime_error naming the file when it cannot be read.
KeyTrace read(const QString &path, Format format, int keyColumn = 1);

/// Outcome of one replay.
struct Result {
    QString policy; ///< eviction policy
    std::size_t capacity = 0; ///< entries
    std::uint64_t requests = 0; ///< keys replayed
    std::uint64_t hits = 0; ///< requests found in the cache
    double hitRatio() const { return requests ? double(hits) / double(requests) : 0.0; }
};

/// Replays \a keys through a single-shard tier of \a capacity entries with \a policy: every
/// request is a get, every miss inserts (the reference simulators' convention). Throws
/// std::invalid_argument for an unknown policy.
Result replay(const std::vector<std::int64_t> &keys, const QString &policy, std::size_t capacity);

} // namespace TraceReplay
} // namespace cachescope
