#pragma once

#include "core/report/comparison.h"

#include <QDialog>

class QLabel;
class QTableWidget;

namespace cachescope {

class LiveChart;

/// 2–5 runs side by side: the comparison table (each figure per run, its change against the
/// first, green when better, red when worse, with its 95 % interval), the settings that differ,
/// and the runs' hit rate and cached throughput overlaid on one time axis.
class ComparisonDialog : public QDialog {
    Q_OBJECT
public:
    ComparisonDialog(const QList<ComparedRun> &runs, QWidget *parent = nullptr);

    const Comparison &comparison() const { return m_comparison; }
    QTableWidget *table() const { return m_table; }
    LiveChart *hitRateChart() const { return m_hitRate; }
    LiveChart *throughputChart() const { return m_throughput; }

private:
    Comparison m_comparison;
    QTableWidget *m_table = nullptr;
    QLabel *m_settings = nullptr;
    LiveChart *m_hitRate = nullptr;
    LiveChart *m_throughput = nullptr;
};

} // namespace cachescope
