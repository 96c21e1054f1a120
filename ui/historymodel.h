#pragma once

#include "core/report/historystore.h"

#include <QAbstractTableModel>
#include <QList>

namespace cachescope {

/// The run history as a table: one row per run, newest first as the store lists them. Display
/// text in Qt::DisplayRole; the raw value (number, time) in Qt::UserRole, which the history view
/// sorts by. The label column is editable (setData emits labelEdited; the store is written by
/// whoever owns it, off the GUI thread).
class HistoryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column : std::uint8_t {
        Id,
        Finished,
        Verdict,
        Label,
        Settings,
        HitRate,
        Throughput,
        DbReduction,
        P50Reduction,
        Duration,
        Source,
        ColumnCount
    };

    explicit HistoryModel(QObject *parent = nullptr);

    /// Replaces every row.
    void setEntries(const QList<HistoryEntry> &entries);
    const QList<HistoryEntry> &entries() const { return m_entries; }
    /// The entry of \a row (of this model, not a proxy's).
    const HistoryEntry &entryAt(int row) const { return m_entries.at(row); }
    /// The row of run \a id, or -1.
    int rowOf(qint64 id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

Q_SIGNALS:
    /// The user renamed run \a id.
    void labelEdited(qint64 id, const QString &label);

private:
    QList<HistoryEntry> m_entries;
};

} // namespace cachescope
