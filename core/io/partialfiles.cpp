#include "core/io/partialfiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>

#include <csignal>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace cachescope {

namespace {
// A fixed table, so that a signal handler can walk it without locks or allocation.
constexpr int kSlots = 64;
constexpr std::size_t kPathMax = 4096;
constexpr std::array<const char *, 4> kCompanions {"", "-journal", "-wal", "-shm"};

enum SlotState : int { kFree = 0, kBusy = 1, kReady = 2 };

struct Slot {
    std::atomic<int> state {kFree}; // kReady: path holds a file to remove on a signal
    char path[kPathMax] {}; // NUL-terminated, encoded for the file system
};

std::array<Slot, kSlots> g_slots;

static_assert(std::atomic<int>::is_always_lock_free, "the registry is read from a signal handler");

bool processRuns(qint64 pid)
{
    if (pid <= 0 || pid > std::numeric_limits<pid_t>::max())
        return false;
    return ::kill(pid_t(pid), 0) == 0 || errno != ESRCH;
}
} // namespace

QString PartialFiles::pathFor(const QString &target)
{
    const QFileInfo info(target);
    return info.absolutePath() + u"/."_s + info.fileName() + u".cachescope-partial-"_s
        + QString::number(QCoreApplication::applicationPid());
}

bool PartialFiles::add(const QString &path)
{
    const QByteArray base = QFile::encodeName(path);
    bool all = true;
    for (const char *suffix : kCompanions) {
        const QByteArray name = base + suffix;
        if (std::size_t(name.size()) >= kPathMax) {
            all = false;
            continue;
        }
        bool placed = false;
        for (Slot &slot : g_slots) {
            int expected = kFree;
            if (!slot.state.compare_exchange_strong(expected, kBusy, std::memory_order_acquire))
                continue;
            std::memcpy(slot.path, name.constData(), std::size_t(name.size()) + 1);
            slot.state.store(kReady, std::memory_order_release);
            placed = true;
            break;
        }
        all = all && placed;
    }
    return all;
}

void PartialFiles::remove(const QString &path)
{
    const QByteArray base = QFile::encodeName(path);
    for (const char *suffix : kCompanions) {
        const QByteArray name = base + suffix;
        for (Slot &slot : g_slots) {
            if (slot.state.load(std::memory_order_acquire) != kReady || name != slot.path)
                continue;
            int expected = kReady;
            if (slot.state.compare_exchange_strong(expected, kBusy, std::memory_order_acquire)) {
                slot.path[0] = '\0';
                slot.state.store(kFree, std::memory_order_release);
            }
        }
    }
}

void PartialFiles::removeAllNow() noexcept
{
    for (Slot &slot : g_slots) {
        if (slot.state.load(std::memory_order_acquire) == kReady)
            ::unlink(slot.path);
    }
}

int PartialFiles::sweep(const QString &directory)
{
    // The partial names of this version and of earlier ones; every one carries its writer's pid.
    static const QRegularExpression kPatterns[] {
        QRegularExpression(uR"(^\..+\.cachescope-partial-(\d+)(-journal|-wal|-shm)?$)"_s),
        QRegularExpression(uR"(^\..+\.partial-(\d+)(-journal|-wal|-shm)?$)"_s),
        QRegularExpression(uR"(^.+\.saving-(\d+)(-journal|-wal|-shm)?$)"_s),
    };
    const QDir dir(directory);
    if (!dir.exists())
        return 0;
    const qint64 self = QCoreApplication::applicationPid();
    int removed = 0;
    for (const QFileInfo &entry : dir.entryInfoList(QDir::Files | QDir::Hidden | QDir::System | QDir::NoSymLinks)) {
        for (const QRegularExpression &pattern : kPatterns) {
            const QRegularExpressionMatch match = pattern.match(entry.fileName());
            if (!match.hasMatch())
                continue;
            const qint64 pid = match.captured(1).toLongLong();
            if (pid != self && !processRuns(pid) && QFile::remove(entry.absoluteFilePath()))
                ++removed;
            break;
        }
    }
    return removed;
}

PartialFile::PartialFile(const QString &target)
    : m_target(QFileInfo(target).absoluteFilePath())
    , m_path(PartialFiles::pathFor(target))
{
    // A file of this name can only be left by an earlier attempt of this process.
    QFile::remove(m_path);
    PartialFiles::add(m_path);
}

PartialFile::~PartialFile()
{
    if (!m_committed) {
        for (const char *suffix : kCompanions)
            QFile::remove(m_path + QString::fromLatin1(suffix));
    }
    PartialFiles::remove(m_path);
}

QString PartialFile::commit(bool replace)
{
    // rename(2) replaces the target in one step: readers see the old file or the new one.
    const QByteArray from = QFile::encodeName(m_path);
    const QByteArray to = QFile::encodeName(m_target);
    const int result = replace ? std::rename(from.constData(), to.constData())
                               : ::renameat2(AT_FDCWD, from.constData(), AT_FDCWD, to.constData(), RENAME_NOREPLACE);
    if (result != 0)
        return QString::fromLocal8Bit(std::strerror(errno));
    m_committed = true;
    return {};
}

} // namespace cachescope
