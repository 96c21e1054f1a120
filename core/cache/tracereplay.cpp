#include "core/cache/tracereplay.h"

#include "core/cache/cachetier.h"

#include <QFile>

#include <stdexcept>

using namespace Qt::StringLiterals;

namespace cachescope::TraceReplay {

namespace {
constexpr qsizetype kMaxBadExamples = 5;

std::optional<std::int64_t> integerKey(QByteArrayView text)
{
    bool ok = false;
    const qulonglong value = text.trimmed().toULongLong(&ok);
    if (ok)
        return std::int64_t(value);
    const qlonglong signedValue = text.trimmed().toLongLong(&ok);
    if (ok)
        return std::int64_t(signedValue);
    return std::nullopt;
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

KeyTrace read(const QString &path, Format format, int keyColumn)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw std::runtime_error(
            QString(u"cannot read trace '"_s + path + u"': "_s + file.errorString()).toStdString());
    const QByteArray data = file.readAll();
    KeyTrace trace;
    trace.keys.reserve(std::size_t(data.size() / 7));
    const auto bad = [&](std::uint64_t lineNumber, const QString &why) {
        ++trace.badLines;
        if (trace.badExamples.size() < kMaxBadExamples)
            trace.badExamples.append(u"line %1: "_s.arg(lineNumber) + why);
    };
    std::uint64_t lineNumber = 0;
    qsizetype pos = 0;
    bool firstContentLine = true;
    while (pos < data.size()) {
        qsizetype end = data.indexOf('\n', pos);
        if (end < 0)
            end = data.size();
        QByteArrayView line = QByteArrayView(data).sliced(pos, end - pos);
        pos = end + 1;
        ++lineNumber;
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.trimmed().isEmpty())
            continue;
        if (format == Format::Keys) {
            ++trace.lines;
            if (const auto key = integerKey(line))
                trace.keys.push_back(*key);
            else
                bad(lineNumber,
                    u"'"_s + QString::fromUtf8(line.first(std::min<qsizetype>(line.size(), 40)))
                        + u"' is not an integer key"_s);
            continue;
        }
        const QByteArrayView value = field(line, keyColumn);
        if (firstContentLine) {
            firstContentLine = false;
            // A header names its columns: a non-numeric key field on the first line.
            if (!value.isEmpty() && !integerKey(value)) {
                trace.headerSkipped = true;
                continue;
            }
        }
        ++trace.lines;
        if (value.isEmpty()) {
            bad(lineNumber, u"no value in column %1"_s.arg(keyColumn));
            continue;
        }
        const auto key = integerKey(value);
        trace.keys.push_back(key ? *key : textKey(value));
    }
    return trace;
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
