#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
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
    /// libCacheSim's binary oracleGeneral: 24-byte little-endian records (uint32 timestamp,
    /// uint64 object id — the key —, uint32 size, int64 next access), no header.
    OracleGeneral,
};

/// The format called \a name ("keys", "csv", "oracleGeneral"), or nullopt.
std::optional<Format> formatNamed(const QString &name);

/// Reads a trace line by line (oracleGeneral: record by record; a file compressed with zstd is
/// read through its decompression, whatever the format), calling \a onKey with each key in
/// order, in memory that does not depend on the trace's length (a line over kMaxLine bytes is a bad line). \a keyColumn
/// is 1-based (CSV only). A first CSV line whose key field is not an integer is taken as a header (so a CSV of text
/// keys needs a header line). Keys are unsigned 64-bit integers; in a CSV, other text (a negative number too) is
/// hashed. The returned account has no keys. Throws std::runtime_error naming the file when it cannot be read or is a
/// device.
KeyTrace scan(const QString &path, Format format, int keyColumn, const std::function<void(std::int64_t)> &onKey);
/// As scan(), keeping the keys; throws std::runtime_error when the trace holds more than
/// \a maxKeys of them (0: no limit).
KeyTrace read(const QString &path, Format format, int keyColumn = 1, std::uint64_t maxKeys = 0);
/// Longest line a trace may hold.
inline constexpr qsizetype kMaxLine = qsizetype(64) * 1024;

/// Outcome of one replay.
struct Result {
    QString policy; ///< eviction policy
    std::size_t capacity = 0; ///< entries
    std::uint64_t requests = 0; ///< keys replayed
    std::uint64_t hits = 0; ///< requests found in the cache
    double hitRatio() const { return requests ? double(hits) / double(requests) : 0.0; }
};

/// Replays a trace through several single-shard tiers at once, one per policy and capacity, as
/// replay() does for each: the trace is read once, streamed, whatever its length. Keys are
/// gathered into blocks; each block is replayed through the tiers on up to \a threads threads
/// (each tier on one of them, in order, its hits told to its policy before the next block),
/// while the caller reads the next block — the decisions are replay()'s exactly.
class MultiReplay {
public:
    /// Throws std::invalid_argument for an unknown policy. \a threads 0: one per core.
    MultiReplay(const QStringList &policies, const std::vector<std::size_t> &capacities, unsigned threads = 0);
    ~MultiReplay();
    MultiReplay(const MultiReplay &) = delete;
    MultiReplay &operator=(const MultiReplay &) = delete;
    void access(std::int64_t key)
    {
        m_block.push_back(key);
        if (m_block.size() == kBlock)
            startBlock();
    }
    /// One result per policy and capacity, policies outer (every key accessed so far replayed).
    std::vector<Result> results();
    /// Keys per block.
    static constexpr std::size_t kBlock = std::size_t(1) << 16;

private:
    struct Run;
    void startBlock();
    void join();
    std::vector<std::unique_ptr<Run>> m_runs;
    std::vector<std::int64_t> m_block; // being filled
    std::vector<std::int64_t> m_replaying; // being replayed by m_workers
    std::vector<std::thread> m_workers;
    unsigned m_threads = 1;
};

/// Replays \a keys through a single-shard tier of \a capacity entries with \a policy: every
/// request is a get, every miss inserts (the reference simulators' convention). Throws
/// std::invalid_argument for an unknown policy.
Result replay(const std::vector<std::int64_t> &keys, const QString &policy, std::size_t capacity);

} // namespace TraceReplay
} // namespace cachescope
