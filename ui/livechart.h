#pragma once

#include <QChartView>
#include <QList>
#include <QPointF>
#include <QTimer>

#include <vector>

class QLineSeries;
class QValueAxis;

namespace cachescope {

/// A live line chart: samples go into bounded per-series buffers and the chart is redrawn from
/// a timer (about 20 Hz at most) with one replace() per series, however fast samples arrive.
class LiveChart : public QChartView {
    Q_OBJECT
public:
    static constexpr qsizetype kMaxPoints = 6000; ///< per series (10 minutes at 10 Hz)

    LiveChart(const QString &title, const QString &xTitle, const QString &yTitle, QWidget *parent = nullptr);

    /// Adds a series; returns its index for append().
    int addSeries(const QString &name, const QColor &color, Qt::PenStyle style = Qt::SolidLine);
    void append(int series, QPointF point);
    void clear();
    /// Fixes the y axis range (otherwise it grows to fit the data from 0).
    void setFixedYRange(double min, double max);
    /// The x range to show from 0 (e.g. the planned phase length); grows if data goes beyond.
    void setXSpan(double span);

    /// Draws a vertical marker at \a x (a live configuration change), with \a label as tooltip.
    void addMarker(double x, const QString &label);
    int markerCount() const { return int(m_markers.size()); }

    /// Points shown by a series (after the latest redraw).
    qsizetype pointCount(int series) const;

private:
    void redraw();
    void setXRange(double max);
    void setYRange(double max);

    struct Series {
        QLineSeries *series = nullptr;
        QList<QPointF> points;
    };
    std::vector<Series> m_series;
    std::vector<QLineSeries *> m_markers;
    QValueAxis *m_x = nullptr;
    QValueAxis *m_y = nullptr;
    bool m_fixedY = false;
    double m_xSpan = 10.0;
    bool m_dirty = false;
    QTimer m_redraw;
};

} // namespace cachescope
