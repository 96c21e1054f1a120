#include "core/io/outputfile.h"

#include "core/io/partialfiles.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QStringList>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
constexpr qint64 kMaxOwnJson = qint64(256) << 20; // a result JSON is far smaller
// The start of the header line ReportWriter::csv() writes.
constexpr QByteArrayView kCsvHeaderStart = "phase,segment,t_s,phase_t_s,";
constexpr std::uint32_t kHotSetApplicationId = 0x43534853; // 'CSHS', as HotSetSnapshot writes it

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

QString fileType(mode_t mode)
{
    if (S_ISDIR(mode))
        return u"a directory"_s;
    if (S_ISCHR(mode))
        return u"a character device"_s;
    if (S_ISBLK(mode))
        return u"a block device"_s;
    if (S_ISFIFO(mode))
        return u"a pipe"_s;
    if (S_ISSOCK(mode))
        return u"a socket"_s;
    return u"not a regular file"_s;
}

QByteArray head(const QString &path, qint64 bytes)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.read(bytes) : QByteArray();
}

bool sameFile(const struct stat &a, const QString &other)
{
    struct stat b { };
    return ::stat(QFile::encodeName(other).constData(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// CacheScope's data folder holds only what it wrote (the demo database, hot sets): a damaged
// file there is replaced like a good one.
bool inDataFolder(const QFileInfo &info)
{
    const QString data = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return !data.isEmpty() && info.absoluteFilePath().startsWith(QFileInfo(data).absoluteFilePath() + u'/');
}

QString quoted(const QString &path)
{
    return u"'"_s + path + u"'"_s;
}
} // namespace

QString OutputFile::describe(OutputKind kind)
{
    switch (kind) {
    case OutputKind::JsonReport:
        return u"report"_s;
    case OutputKind::JUnitReport:
        return u"JUnit report"_s;
    case OutputKind::HotSetSnapshot:
        return u"hot-set snapshot"_s;
    case OutputKind::ScenarioFile:
        return u"scenario"_s;
    case OutputKind::CsvReport:
        return u"CSV report"_s;
    case OutputKind::HtmlReport:
        return u"HTML report"_s;
    case OutputKind::PdfReport:
        return u"PDF report"_s;
    case OutputKind::TextReport:
        return u"text report"_s;
    case OutputKind::ComparisonReport:
        return u"comparison"_s;
    }
    return {};
}

bool OutputFile::holdsOwnFile(const QString &path, OutputKind kind)
{
    struct stat st { };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    switch (kind) {
    case OutputKind::JsonReport: {
        if (st.st_size > kMaxOwnJson)
            return false;
        const QJsonObject o = QJsonDocument::fromJson(head(path, kMaxOwnJson)).object();
        return o.value(u"format_version"_s).isDouble() && o.value(u"scenario"_s).isObject() && o.contains(u"phases"_s);
    }
    case OutputKind::JUnitReport:
        return head(path, 4096).contains(R"(<testsuite name="cachescope acceptance")");
    case OutputKind::HotSetSnapshot: {
        const QByteArray h = head(path, 72);
        if (h.size() < 72 || !h.startsWith(QByteArrayView("SQLite format 3\0", 16)))
            return false;
        const auto *b = reinterpret_cast<const unsigned char *>(h.constData()) + 68;
        return (std::uint32_t(b[0]) << 24 | std::uint32_t(b[1]) << 16 | std::uint32_t(b[2]) << 8 | b[3])
            == kHotSetApplicationId;
    }
    case OutputKind::ScenarioFile: {
        // A scenario by its shape: an object of a scenario's groups and nothing else, with the
        // two every saved scenario has (another program's JSON is not replaced).
        if (st.st_size > kMaxOwnJson)
            return false;
        static const QStringList groups {
            u"db"_s, u"workload"_s, u"cache"_s, u"duration"_s, u"warmup"_s, u"engine"_s, u"criteria"_s, u"changes"_s};
        const QJsonObject o = QJsonDocument::fromJson(head(path, kMaxOwnJson)).object();
        if (!o.value(u"db"_s).isObject() || !o.value(u"workload"_s).isObject())
            return false;
        const QStringList keys = o.keys();
        return std::all_of(keys.cbegin(), keys.cend(), [](const QString &k) { return groups.contains(k); });
    }
    case OutputKind::CsvReport:
        return head(path, 64).startsWith(kCsvHeaderStart);
    case OutputKind::HtmlReport:
        return head(path, 4096).contains(R"(<meta name="generator" content="CacheScope)");
    case OutputKind::PdfReport: {
        // Qt's PDF writer puts the document information first, its strings in UTF-16BE.
        const QByteArray h = head(path, 4096);
        QByteArray creator = "/Creator (\xfe\xff";
        for (const char c : QByteArrayView("CacheScope"))
            creator += QByteArray(1, '\0') + c;
        return h.startsWith("%PDF-") && h.contains(creator);
    }
    case OutputKind::TextReport: {
        const QByteArray h = head(path, 64);
        return h.startsWith("CacheScope run on ") || h.startsWith("CacheScope comparison");
    }
    case OutputKind::ComparisonReport: {
        if (st.st_size > kMaxOwnJson)
            return false;
        const QJsonObject o = QJsonDocument::fromJson(head(path, kMaxOwnJson)).object();
        return o.value(u"runs"_s).isArray() && o.value(u"rows"_s).isArray() && o.contains(u"noise_floor"_s);
    }
    }
    return false;
}

QString OutputFile::check(const QString &path, OutputKind kind, const QStringList &inputs)
{
    const QString what = describe(kind);
    if (path.isEmpty())
        return what + u": no file given"_s;
    if (path.contains(QChar(0)))
        return what + u": the file name holds a NUL character"_s;
    const QFileInfo info(path);
    const QString dir = info.absolutePath();
    struct stat dirStat { };
    if (::stat(QFile::encodeName(dir).constData(), &dirStat) != 0)
        return what + u" "_s + quoted(path) + u": directory "_s + quoted(dir) + u" does not exist"_s;
    if (!S_ISDIR(dirStat.st_mode))
        return what + u" "_s + quoted(path) + u": "_s + quoted(dir) + u" is not a directory"_s;
    if (::access(QFile::encodeName(dir).constData(), W_OK | X_OK) != 0)
        return what + u" "_s + quoted(path) + u": cannot write in "_s + quoted(dir) + u": "_s + systemError();

    struct stat st { };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0) {
        if (errno == ENOENT)
            return {};
        return what + u" "_s + quoted(path) + u": "_s + systemError();
    }
    if (!S_ISREG(st.st_mode)) {
        return what + u" "_s + quoted(path) + u" is "_s + fileType(st.st_mode)
            + u"; CacheScope writes only regular files"_s;
    }
    for (const QString &input : inputs) {
        if (input.isEmpty())
            continue;
        for (const char *suffix : {"", "-journal", "-wal", "-shm"}) {
            if (sameFile(st, input + QString::fromLatin1(suffix))) {
                return what + u" "_s + quoted(path) + u" is "_s + quoted(input + QString::fromLatin1(suffix))
                    + u", which this run reads; not overwriting it"_s;
            }
        }
    }
    if (st.st_size > 0 && !inDataFolder(info) && !holdsOwnFile(path, kind)) {
        return what + u" "_s + quoted(path) + u" already exists and is not a "_s + what
            + u" CacheScope wrote; not overwriting it (remove it or choose another file)"_s;
    }
    return {};
}

QString OutputFile::write(const QString &path, OutputKind kind, const QByteArray &bytes, const QStringList &inputs)
{
    if (QString problem = check(path, kind, inputs); !problem.isEmpty())
        return problem;
    const QString failed = u"cannot write "_s + describe(kind) + u" "_s + quoted(path) + u": "_s;
    // A link to one of our files: the file it names is replaced, the link stays.
    const QFileInfo info(path);
    const QString target = info.exists() ? info.canonicalFilePath() : path;
    struct stat old { };
    const bool replacing = ::stat(QFile::encodeName(target).constData(), &old) == 0;

    PartialFile partial(target);
    const int fd = ::open(QFile::encodeName(partial.path()).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0)
        return failed + systemError();
    const char *data = bytes.constData();
    qint64 left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(fd, data, std::size_t(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            const QString error = n < 0 ? systemError() : u"nothing written"_s;
            ::close(fd);
            return failed + error;
        }
        data += n;
        left -= n;
    }
    if (replacing)
        ::fchmod(fd, old.st_mode & 07777);
    // The data reaches the disk before the rename makes it the file: a crash leaves old or new.
    const bool synced = ::fsync(fd) == 0;
    const QString syncError = synced ? QString() : systemError();
    if (::close(fd) != 0 || !synced)
        return failed + (synced ? systemError() : syncError);
    if (const QString error = partial.commit(); !error.isEmpty())
        return failed + error;
    return {};
}

} // namespace cachescope
