#include "core/cache/tracereplay.h"

#include "core/cache/cachetier.h"

#include <QFile>

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
} // namespace

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
    // Chunks, with the unfinished line carried over; a line past kMaxLine is skipped to its end.
    QByteArray buffer;
    bool skipping = false;
    while (true) {
        const QByteArray chunk = file.read(1 << 20);
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

struct MultiReplay::Run {
    Run(const QString &policy, std::size_t capacity)
        : tier({capacity, std::chrono::nanoseconds(0), 1, policy})
        , result {policy, capacity, 0, 0}
    {
    }
    CacheTier tier;
    Result result;
};

MultiReplay::MultiReplay(const QStringList &policies, const std::vector<std::size_t> &capacities)
{
    for (const QString &policy : policies) {
        for (const std::size_t capacity : capacities)
            m_runs.push_back(std::make_unique<Run>(policy, capacity));
    }
}

MultiReplay::~MultiReplay() = default;

void MultiReplay::access(std::int64_t key)
{
    for (const auto &run : m_runs) {
        ++run->result.requests;
        if (run->tier.get(key))
            ++run->result.hits;
        else
            run->tier.put(key, QByteArray());
    }
}

std::vector<Result> MultiReplay::results() const
{
    std::vector<Result> out;
    for (const auto &run : m_runs)
        out.push_back(run->result);
    return out;
}

Result replay(const std::vector<std::int64_t> &keys, const QString &policy, std::size_t capacity)
{
    CacheTier tier({capacity, std::chrono::nanoseconds(0), 1, policy});
    Result result {policy, capacity, 0, 0};
    for (const std::int64_t key : keys) {
        ++result.requests;
        if (tier.get(key))
            ++result.hits;
        else
            tier.put(key, QByteArray());
    }
    return result;
}

} // namespace cachescope::TraceReplay
