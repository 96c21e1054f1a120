#include "core/cache/tracereplay.h"

#include "core/cache/cachetier.h"
#include "core/cache/evictionpolicy.h"
#include "core/util/random.h"

#include <QFile>

#include <zstd.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>

#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace cachescope::TraceReplay {

namespace {
constexpr qsizetype kMaxBadExamples = 5;

// An unsigned 64-bit key, stored in the int64 the cache uses (2^64-1 becomes -1): a negative
// number is not such a key, or "-1" and "18446744073709551615" would be one key.
std::optional<std::int64_t> integerKey(QByteArrayView text)
{
    // The common case first: up to 19 plain digits (no sign, no space) cannot overflow.
    if (!text.isEmpty() && text.size() <= 19) {
        std::uint64_t value = 0;
        bool digits = true;
        for (const char c : text) {
            const unsigned d = unsigned(c) - unsigned('0');
            if (d > 9) {
                digits = false;
                break;
            }
            value = value * 10 + d;
        }
        if (digits)
            return std::int64_t(value);
    }
    bool ok = false;
    const qulonglong value = text.trimmed().toULongLong(&ok);
    if (ok)
        return std::int64_t(value);
    return std::nullopt;
}

// At most 40 bytes of what a bad line held, quoted, with anything unprintable escaped.
QString shown(QByteArrayView text)
{
    QString out = u"'"_s;
    for (qsizetype i = 0; i < std::min<qsizetype>(text.size(), 40); ++i) {
        const auto c = std::uint8_t(text[i]);
        out += c >= 0x20 && c < 0x7f ? QString(QChar(char16_t(c))) : u"\\x%1"_s.arg(c, 2, 16, QChar(u'0'));
    }
    return out + (text.size() > 40 ? u"…'"_s : u"'"_s);
}

// FNV-1a: a stable 64-bit key for a textual identifier.
std::int64_t textKey(QByteArrayView text)
{
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const char c : text) {
        h ^= std::uint8_t(c);
        h *= 0x100000001b3ULL;
    }
    return std::int64_t(h);
}

QByteArrayView field(QByteArrayView line, int column)
{
    qsizetype start = 0;
    for (int c = 1; c < column; ++c) {
        const qsizetype comma = line.indexOf(',', start);
        if (comma < 0)
            return {};
        start = comma + 1;
    }
    const qsizetype end = line.indexOf(',', start);
    QByteArrayView value = line.sliced(start, (end < 0 ? line.size() : end) - start).trimmed();
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.sliced(1, value.size() - 2);
    return value;
}

// The bytes of a trace file: as they are, or decompressed when the file is a zstd frame.
class TraceBytes {
public:
    TraceBytes(QFile &file, const QString &path)
        : m_file(file)
        , m_path(path)
    {
        m_pending = m_file.read(4);
        static constexpr unsigned char kMagic[4] = {0x28, 0xb5, 0x2f, 0xfd};
        if (m_pending.size() == 4 && std::memcmp(m_pending.constData(), kMagic, 4) == 0) {
            m_zstd = ZSTD_createDStream();
            if (!m_zstd)
                fail(u"out of memory for zstd"_s);
            ZSTD_initDStream(m_zstd);
        }
    }
    ~TraceBytes() { ZSTD_freeDStream(m_zstd); }
    TraceBytes(const TraceBytes &) = delete;
    TraceBytes &operator=(const TraceBytes &) = delete;

    /// The next chunk; empty at the end.
    QByteArray next()
    {
        if (!m_zstd) {
            if (!m_pending.isEmpty())
                return std::exchange(m_pending, {});
            return m_file.read(kChunk);
        }
        QByteArray out(kChunk, Qt::Uninitialized);
        ZSTD_outBuffer output {out.data(), std::size_t(out.size()), 0};
        while (output.pos == 0) {
            if (m_in.pos == m_in.size) {
                m_input = m_pending.isEmpty() ? m_file.read(kChunk) : std::exchange(m_pending, {});
                if (m_input.isEmpty()) {
                    if (m_lastResult != 0)
                        fail(u"the zstd stream ends in the middle of a frame"_s);
                    return {};
                }
                m_in = {m_input.constData(), std::size_t(m_input.size()), 0};
            }
            m_lastResult = ZSTD_decompressStream(m_zstd, &output, &m_in);
            if (ZSTD_isError(m_lastResult))
                fail(u"zstd: "_s + QString::fromLatin1(ZSTD_getErrorName(m_lastResult)));
        }
        out.resize(qsizetype(output.pos));
        return out;
    }

private:
    static constexpr qsizetype kChunk = qsizetype(1) << 20;
    [[noreturn]] void fail(const QString &why) const
    {
        throw std::runtime_error(QString(u"cannot read trace '"_s + m_path + u"': "_s + why).toStdString());
    }
    QFile &m_file;
    QString m_path;
    QByteArray m_pending; // read to recognise the format, not handed out yet
    QByteArray m_input; // compressed bytes being decompressed
    ZSTD_DStream *m_zstd = nullptr;
    ZSTD_inBuffer m_in {nullptr, 0, 0};
    std::size_t m_lastResult = 0; // 0 when a frame is complete
};

constexpr qsizetype kOracleRecord = 24;
constexpr qsizetype kOracleIdOffset = 4;
} // namespace

std::optional<Format> formatNamed(const QString &name)
{
    if (name == u"keys"_s)
        return Format::Keys;
    if (name == u"csv"_s)
        return Format::Csv;
    if (name == u"oracleGeneral"_s)
        return Format::OracleGeneral;
    return std::nullopt;
}

KeyTrace scan(const QString &path, Format format, int keyColumn, const std::function<void(std::int64_t)> &onKey)
{
    struct stat st { };
    if (::stat(QFile::encodeName(path).constData(), &st) == 0 && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
        throw std::runtime_error(
            QString(u"trace '"_s + path + u"' is a device; a trace is a file or a pipe"_s).toStdString());
    }
    QFile file(path);
    if ((::stat(QFile::encodeName(path).constData(), &st) == 0 && S_ISDIR(st.st_mode))
        || !file.open(QIODevice::ReadOnly)) {
        throw std::runtime_error(QString(u"cannot read trace '"_s + path + u"': "_s
            + (S_ISDIR(st.st_mode) ? u"it is a directory"_s : file.errorString()))
                                     .toStdString());
    }
    KeyTrace trace;
    const auto bad = [&](std::uint64_t lineNumber, const QString &why) {
        ++trace.badLines;
        if (trace.badExamples.size() < kMaxBadExamples)
            trace.badExamples.append(u"line %1: "_s.arg(lineNumber) + why);
    };
    std::uint64_t lineNumber = 0;
    bool firstContentLine = true;
    const auto take = [&](QByteArrayView line) {
        ++lineNumber;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty())
            return;
        if (line.size() > kMaxLine) {
            ++trace.lines;
            bad(lineNumber, u"longer than %1 bytes"_s.arg(kMaxLine));
            return;
        }
        if (format == Format::Keys) {
            ++trace.lines;
            if (const auto key = integerKey(line))
                onKey(*key);
            else
                bad(lineNumber, shown(line) + u" is not an unsigned integer key"_s);
            return;
        }
        const QByteArrayView value = field(line, keyColumn);
        if (firstContentLine) {
            firstContentLine = false;
            // A header names its columns: a non-numeric key field on the first line.
            if (!value.isEmpty() && !integerKey(value)) {
                trace.headerSkipped = true;
                return;
            }
        }
        ++trace.lines;
        if (value.isEmpty()) {
            bad(lineNumber, u"no value in column %1"_s.arg(keyColumn));
            return;
        }
        const auto key = integerKey(value);
        onKey(key ? *key : textKey(value));
    };
    TraceBytes bytes(file, path);
    if (format == Format::OracleGeneral) {
        // Fixed records, the unfinished one carried over to the next chunk.
        QByteArray carry;
        while (true) {
            QByteArray chunk = bytes.next();
            if (chunk.isEmpty())
                break;
            if (!carry.isEmpty())
                chunk.prepend(std::exchange(carry, {}));
            const qsizetype whole = chunk.size() / kOracleRecord * kOracleRecord;
            const char *p = chunk.constData();
            for (qsizetype at = 0; at < whole; at += kOracleRecord) {
                std::uint64_t id = 0;
                std::memcpy(&id, p + at + kOracleIdOffset, sizeof id);
                onKey(std::int64_t(id));
            }
            trace.lines += std::uint64_t(whole / kOracleRecord);
            carry = chunk.sliced(whole);
        }
        if (file.error() != QFileDevice::NoError)
            throw std::runtime_error(
                QString(u"cannot read trace '"_s + path + u"': "_s + file.errorString()).toStdString());
        if (!carry.isEmpty()) {
            ++trace.lines;
            bad(trace.lines, u"%1 bytes at the end: a record is %2"_s.arg(carry.size()).arg(kOracleRecord));
        }
        return trace;
    }
    // Chunks, with the unfinished line carried over; a line past kMaxLine is skipped to its end.
    QByteArray buffer;
    bool skipping = false;
    while (true) {
        const QByteArray chunk = bytes.next();
        if (chunk.isEmpty())
            break;
        buffer += chunk;
        qsizetype pos = 0;
        while (true) {
            const qsizetype end = buffer.indexOf('\n', pos);
            if (end < 0)
                break;
            if (skipping) {
                skipping = false;
                ++lineNumber;
                ++trace.lines;
                bad(lineNumber, u"longer than %1 bytes"_s.arg(kMaxLine));
            } else {
                take(QByteArrayView(buffer).sliced(pos, end - pos));
            }
            pos = end + 1;
        }
        buffer.remove(0, pos);
        if (buffer.size() > kMaxLine) {
            skipping = true;
            buffer.clear();
        }
    }
    if (file.error() != QFileDevice::NoError)
        throw std::runtime_error(
            QString(u"cannot read trace '"_s + path + u"': "_s + file.errorString()).toStdString());
    if (skipping) {
        ++lineNumber;
        ++trace.lines;
        bad(lineNumber, u"longer than %1 bytes"_s.arg(kMaxLine));
    } else if (!buffer.isEmpty()) {
        take(buffer);
    }
    return trace;
}

KeyTrace read(const QString &path, Format format, int keyColumn, std::uint64_t maxKeys)
{
    std::vector<std::int64_t> keys;
    KeyTrace trace = scan(path, format, keyColumn, [&](std::int64_t key) {
        if (maxKeys > 0 && keys.size() >= maxKeys) {
            throw std::runtime_error(QString(u"trace '"_s + path
                + u"' holds more than %1 keys; the run replays at most that many "
                  "(simulate streams a trace of any length)"_s.arg(maxKeys))
                                         .toStdString());
        }
        keys.push_back(key);
    });
    trace.keys = std::move(keys);
    return trace;
}

namespace {
// What a single-shard CacheTier does with a trace's requests — the same policy objects, told the
// same events in the same order (onMiss, then evictions down to capacity − 1, then onInsert; a
// hit's onAccess, or its saturating count, before the next miss), the same key hash and the same
// reuse of freed slots — on one thread, without what a shared tier needs (epochs, locks, buffered
// hits, stored values). tst_tracereplay checks it against a CacheTier decision by decision.
class SimTier {
public:
    SimTier(const QString &policy, std::size_t capacity)
        : m_policy(EvictionPolicy::create(policy, capacity))
        , m_capacity(capacity)
    {
        if (!m_policy) {
            throw std::invalid_argument("unknown eviction policy '" + policy.toStdString()
                + "' (known: " + EvictionPolicy::names().join(u", ").toStdString() + ")");
        }
        m_reporting = m_policy->hitReporting();
        m_hitLimit = m_policy->hitLimit();
        m_policy->setHitSource({[](const void *context, Slot slot) -> std::uint8_t {
                                    auto &hits = static_cast<const SimTier *>(context)->m_hits;
                                    return std::exchange(hits[slot], std::uint8_t(0));
                                },
            this});
        grow(std::min<std::size_t>(capacity, 1024));
    }

    /// A get, and on a miss an insert; true for a hit.
    bool request(std::int64_t key)
    {
        const std::uint64_t hash = hashKey(key);
        const std::size_t at = find(key, hash);
        if (m_buckets[at].slot != kNoSlot) {
            const Slot slot = m_buckets[at].slot;
            if (m_reporting == HitReporting::Ordered)
                m_policy->onAccess(slot, hash);
            else if (m_reporting == HitReporting::Counted && m_hits[slot] < m_hitLimit)
                ++m_hits[slot];
            return true;
        }
        if (m_capacity == 0)
            return false; // holds nothing (as a tier of capacity 0: its policy hears of nothing)
        m_policy->onMiss(hash);
        while (m_live > m_capacity - 1) {
            const Slot victim = m_policy->evict();
            if (victim == kNoSlot)
                break;
            erase(m_keys[victim]);
            m_free.push_back(victim);
            --m_live;
        }
        Slot slot = 0;
        if (!m_free.empty()) {
            slot = m_free.back();
            m_free.pop_back();
        } else {
            slot = Slot(m_keys.size());
            m_keys.push_back(0);
            m_hits.push_back(0);
        }
        m_keys[slot] = key;
        m_hits[slot] = 0;
        if (2 * (m_live + 1) > m_buckets.size())
            grow(m_buckets.size());
        m_buckets[find(key, hash)] = {key, slot};
        ++m_live;
        m_policy->onInsert(slot, hash);
        return false;
    }

private:
    struct Bucket {
        std::int64_t key = 0;
        Slot slot = kNoSlot; // kNoSlot: empty
    };
    // The bucket holding \a key, or the empty one where it would go (linear probing).
    std::size_t find(std::int64_t key, std::uint64_t hash) const
    {
        std::size_t i = std::size_t(hash) & m_mask;
        while (m_buckets[i].slot != kNoSlot && m_buckets[i].key != key)
            i = (i + 1) & m_mask;
        return i;
    }
    // Backward-shift deletion: no tombstones, probes stay short.
    void erase(std::int64_t key)
    {
        std::size_t i = find(key, hashKey(key));
        for (std::size_t j = (i + 1) & m_mask; m_buckets[j].slot != kNoSlot; j = (j + 1) & m_mask) {
            const std::size_t home = std::size_t(hashKey(m_buckets[j].key)) & m_mask;
            // Move j back to the hole at i unless its home lies cyclically in (i, j].
            if (((j - home) & m_mask) >= ((j - i) & m_mask)) {
                m_buckets[i] = m_buckets[j];
                i = j;
            }
        }
        m_buckets[i] = {};
    }
    void grow(std::size_t live)
    {
        std::vector<Bucket> old = std::move(m_buckets);
        m_buckets.assign(std::bit_ceil(std::max<std::size_t>(16, 4 * (live + 1))), Bucket {});
        m_mask = m_buckets.size() - 1;
        for (const Bucket &b : old) {
            if (b.slot != kNoSlot)
                m_buckets[find(b.key, hashKey(b.key))] = b;
        }
    }

    std::unique_ptr<EvictionPolicy> m_policy;
    std::size_t m_capacity;
    HitReporting m_reporting = HitReporting::Ordered;
    std::uint8_t m_hitLimit = 0;
    std::vector<Bucket> m_buckets;
    std::size_t m_mask = 0;
    std::size_t m_live = 0;
    std::vector<std::int64_t> m_keys; // slot → key
    mutable std::vector<std::uint8_t> m_hits; // slot → hits not taken by the policy (Counted)
    std::vector<Slot> m_free; // freed slots, reused last in first out (as CacheTier)
};
} // namespace

struct MultiReplay::Run {
    Run(const QString &policy, std::size_t capacity)
        : tier(policy, capacity)
        , result {policy, capacity, 0, 0}
    {
    }
    void replay(const std::vector<std::int64_t> &keys)
    {
        std::uint64_t hits = 0;
        for (const std::int64_t key : keys)
            hits += tier.request(key) ? 1 : 0;
        result.requests += keys.size();
        result.hits += hits;
    }
    SimTier tier;
    Result result;
};

MultiReplay::MultiReplay(const QStringList &policies, const std::vector<std::size_t> &capacities, unsigned threads)
{
    for (const QString &policy : policies) {
        for (const std::size_t capacity : capacities)
            m_runs.push_back(std::make_unique<Run>(policy, capacity));
    }
    if (threads == 0)
        threads = std::max(1u, std::thread::hardware_concurrency());
    m_threads = unsigned(std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(m_runs.size(), 1)));
    m_block.reserve(kBlock);
}

MultiReplay::~MultiReplay()
{
    join();
}

void MultiReplay::join()
{
    for (std::thread &worker : m_workers)
        worker.join();
    m_workers.clear();
}

void MultiReplay::startBlock()
{
    join(); // the block before is replayed (each tier's blocks stay in order)
    std::swap(m_replaying, m_block);
    m_block.clear();
    if (m_threads <= 1) {
        for (const auto &run : m_runs)
            run->replay(m_replaying);
        return;
    }
    // Tier i on thread i mod n; the caller goes on reading the next block meanwhile.
    for (unsigned t = 0; t < m_threads; ++t) {
        m_workers.emplace_back([this, t] {
            for (std::size_t i = t; i < m_runs.size(); i += m_threads)
                m_runs[i]->replay(m_replaying);
        });
    }
}

std::vector<Result> MultiReplay::results()
{
    if (!m_block.empty())
        startBlock();
    join();
    std::vector<Result> out;
    for (const auto &run : m_runs)
        out.push_back(run->result);
    return out;
}

Result replay(const std::vector<std::int64_t> &keys, const QString &policy, std::size_t capacity)
{
    SimTier tier(policy, capacity);
    Result result {policy, capacity, 0, 0};
    for (const std::int64_t key : keys) {
        ++result.requests;
        if (tier.request(key))
            ++result.hits;
    }
    return result;
}

} // namespace cachescope::TraceReplay
