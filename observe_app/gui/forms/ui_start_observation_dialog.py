# Generated from ui/start_observation_dialog.ui by tools/build_ui.py (pyside6-uic). DO NOT EDIT:
# change the form in Qt Designer and run `python tools/build_ui.py`.
from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog,
    QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
    QSizePolicy, QSpacerItem, QSpinBox, QVBoxLayout,
    QWidget)

class Ui_StartObservationDialog(object):
    def setupUi(self, StartObservationDialog):
        if not StartObservationDialog.objectName():
            StartObservationDialog.setObjectName(u"StartObservationDialog")
        StartObservationDialog.resize(440, 280)
        self.outer_layout = QVBoxLayout(StartObservationDialog)
        self.outer_layout.setObjectName(u"outer_layout")
        self.cycle_label = QLabel(StartObservationDialog)
        self.cycle_label.setObjectName(u"cycle_label")
        self.cycle_label.setWordWrap(True)
        self.cycle_label.setTextFormat(Qt.TextFormat.PlainText)

        self.outer_layout.addWidget(self.cycle_label)

        self.form_layout = QFormLayout()
        self.form_layout.setObjectName(u"form_layout")
        self.form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.observer_label = QLabel(StartObservationDialog)
        self.observer_label.setObjectName(u"observer_label")

        self.form_layout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.observer_label)

        self.observer_combo = QComboBox(StartObservationDialog)
        self.observer_combo.setObjectName(u"observer_combo")

        self.form_layout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.observer_combo)

        self.subject_label = QLabel(StartObservationDialog)
        self.subject_label.setObjectName(u"subject_label")

        self.form_layout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.subject_label)

        self.subject_edit = QLineEdit(StartObservationDialog)
        self.subject_edit.setObjectName(u"subject_edit")

        self.form_layout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.subject_edit)

        self.grade_label = QLabel(StartObservationDialog)
        self.grade_label.setObjectName(u"grade_label")

        self.form_layout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.grade_label)

        self.grade_edit = QLineEdit(StartObservationDialog)
        self.grade_edit.setObjectName(u"grade_edit")

        self.form_layout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.grade_edit)

        self.room_label = QLabel(StartObservationDialog)
        self.room_label.setObjectName(u"room_label")

        self.form_layout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.room_label)

        self.room_edit = QLineEdit(StartObservationDialog)
        self.room_edit.setObjectName(u"room_edit")

        self.form_layout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.room_edit)

        self.students_label = QLabel(StartObservationDialog)
        self.students_label.setObjectName(u"students_label")

        self.form_layout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.students_label)

        self.students_spin = QSpinBox(StartObservationDialog)
        self.students_spin.setObjectName(u"students_spin")
        self.students_spin.setMaximum(1000)

        self.form_layout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.students_spin)


        self.outer_layout.addLayout(self.form_layout)

        self.error_label = QLabel(StartObservationDialog)
        self.error_label.setObjectName(u"error_label")
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)

        self.outer_layout.addWidget(self.error_label)

        self.bottom_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.outer_layout.addItem(self.bottom_spacer)

        self.buttons = QDialogButtonBox(StartObservationDialog)
        self.buttons.setObjectName(u"buttons")
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.outer_layout.addWidget(self.buttons)

#if QT_CONFIG(shortcut)
        self.observer_label.setBuddy(self.observer_combo)
        self.subject_label.setBuddy(self.subject_edit)
        self.grade_label.setBuddy(self.grade_edit)
        self.room_label.setBuddy(self.room_edit)
        self.students_label.setBuddy(self.students_spin)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.observer_combo, self.subject_edit)
        QWidget.setTabOrder(self.subject_edit, self.grade_edit)
        QWidget.setTabOrder(self.grade_edit, self.room_edit)
        QWidget.setTabOrder(self.room_edit, self.students_spin)

        self.retranslateUi(StartObservationDialog)
    # setupUi

    def retranslateUi(self, StartObservationDialog):
        StartObservationDialog.setWindowTitle(QCoreApplication.translate("StartObservationDialog", u"Start an observation", None))
        self.observer_label.setText(QCoreApplication.translate("StartObservationDialog", u"&Who is observing", None))
#if QT_CONFIG(accessibility)
        self.observer_combo.setAccessibleName(QCoreApplication.translate("StartObservationDialog", u"Who is observing", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.observer_combo.setToolTip(QCoreApplication.translate("StartObservationDialog", u"The observer, or a co-observer recording the same lesson on this laptop", None))
#endif // QT_CONFIG(tooltip)
        self.subject_label.setText(QCoreApplication.translate("StartObservationDialog", u"&Subject", None))
#if QT_CONFIG(accessibility)
        self.subject_edit.setAccessibleName(QCoreApplication.translate("StartObservationDialog", u"Subject", None))
#endif // QT_CONFIG(accessibility)
        self.subject_edit.setPlaceholderText(QCoreApplication.translate("StartObservationDialog", u"e.g. Science", None))
        self.grade_label.setText(QCoreApplication.translate("StartObservationDialog", u"&Grade or class", None))
#if QT_CONFIG(accessibility)
        self.grade_edit.setAccessibleName(QCoreApplication.translate("StartObservationDialog", u"Grade or class", None))
#endif // QT_CONFIG(accessibility)
        self.grade_edit.setPlaceholderText(QCoreApplication.translate("StartObservationDialog", u"e.g. Year 8, 8B", None))
        self.room_label.setText(QCoreApplication.translate("StartObservationDialog", u"&Room", None))
#if QT_CONFIG(accessibility)
        self.room_edit.setAccessibleName(QCoreApplication.translate("StartObservationDialog", u"Room", None))
#endif // QT_CONFIG(accessibility)
        self.students_label.setText(QCoreApplication.translate("StartObservationDialog", u"S&tudents present", None))
#if QT_CONFIG(accessibility)
        self.students_spin.setAccessibleName(QCoreApplication.translate("StartObservationDialog", u"Students present", None))
#endif // QT_CONFIG(accessibility)
        self.students_spin.setSpecialValueText(QCoreApplication.translate("StartObservationDialog", u"not counted", None))
#if QT_CONFIG(accessibility)
        self.error_label.setAccessibleName(QCoreApplication.translate("StartObservationDialog", u"Problem", None))
#endif // QT_CONFIG(accessibility)
    # retranslateUi

