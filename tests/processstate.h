#pragma once

// What the test process holds right now, from /proc/self: its threads, and the files it has open
// under a path (a database with its -wal, -shm and -journal files). Tests that tear an engine
// down mid-run check that it really let go: its threads joined, its connections closed.
#include <QDir>
#include <QFileInfo>
#include <QString>

namespace processstate {

/// Threads of this process.
inline int threadCount()
{
    return int(QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size());
}

/// Open file descriptors of this process on \a path or a file beside it whose name starts with it.
inline int openFilesOf(const QString &path)
{
    const QString target = QFileInfo(path).canonicalFilePath();
    int count = 0;
    const QDir fds(QStringLiteral("/proc/self/fd"));
    for (const QString &fd : fds.entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot)) {
        const QString linked = QFileInfo(fds.filePath(fd)).symLinkTarget();
        if (!target.isEmpty() && linked.startsWith(target))
            ++count;
    }
    return count;
}

} // namespace processstate
