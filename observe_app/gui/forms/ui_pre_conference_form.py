# Generated from ui/pre_conference_form.ui by tools/build_ui.py (pyside6-uic). DO NOT EDIT:
# change the form in Qt Designer and run `python tools/build_ui.py`.
from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QComboBox, QDateEdit, QFormLayout,
    QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QPlainTextEdit, QPushButton, QSizePolicy,
    QSpacerItem, QVBoxLayout, QWidget)

class Ui_PreConferenceForm(object):
    def setupUi(self, PreConferenceForm):
        if not PreConferenceForm.objectName():
            PreConferenceForm.setObjectName(u"PreConferenceForm")
        PreConferenceForm.resize(640, 360)
        self.outer_layout = QVBoxLayout(PreConferenceForm)
        self.outer_layout.setObjectName(u"outer_layout")
        self.intro_label = QLabel(PreConferenceForm)
        self.intro_label.setObjectName(u"intro_label")
        self.intro_label.setWordWrap(True)

        self.outer_layout.addWidget(self.intro_label)

        self.form_layout = QFormLayout()
        self.form_layout.setObjectName(u"form_layout")
        self.form_layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.focus_label = QLabel(PreConferenceForm)
        self.focus_label.setObjectName(u"focus_label")

        self.form_layout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.focus_label)

        self.focus_edit = QLineEdit(PreConferenceForm)
        self.focus_edit.setObjectName(u"focus_edit")

        self.form_layout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.focus_edit)

        self.evidence_label = QLabel(PreConferenceForm)
        self.evidence_label.setObjectName(u"evidence_label")

        self.form_layout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.evidence_label)

        self.evidence_edit = QPlainTextEdit(PreConferenceForm)
        self.evidence_edit.setObjectName(u"evidence_edit")
        self.evidence_edit.setTabChangesFocus(True)

        self.form_layout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.evidence_edit)

        self.observer_label = QLabel(PreConferenceForm)
        self.observer_label.setObjectName(u"observer_label")

        self.form_layout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.observer_label)

        self.observer_combo = QComboBox(PreConferenceForm)
        self.observer_combo.setObjectName(u"observer_combo")

        self.form_layout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.observer_combo)

        self.co_observers_label = QLabel(PreConferenceForm)
        self.co_observers_label.setObjectName(u"co_observers_label")

        self.form_layout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.co_observers_label)

        self.co_observer_list = QListWidget(PreConferenceForm)
        self.co_observer_list.setObjectName(u"co_observer_list")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sizePolicy.setHorizontalStretch(0)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.co_observer_list.sizePolicy().hasHeightForWidth())
        self.co_observer_list.setSizePolicy(sizePolicy)
        self.co_observer_list.setMaximumSize(QSize(16777215, 88))
        self.co_observer_list.setUniformItemSizes(True)

        self.form_layout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.co_observer_list)

        self.date_label = QLabel(PreConferenceForm)
        self.date_label.setObjectName(u"date_label")

        self.form_layout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.date_label)

        self.date_edit = QDateEdit(PreConferenceForm)
        self.date_edit.setObjectName(u"date_edit")
        self.date_edit.setCalendarPopup(True)

        self.form_layout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.date_edit)


        self.outer_layout.addLayout(self.form_layout)

        self.button_row = QHBoxLayout()
        self.button_row.setObjectName(u"button_row")
        self.status_label = QLabel(PreConferenceForm)
        self.status_label.setObjectName(u"status_label")
        self.status_label.setWordWrap(True)

        self.button_row.addWidget(self.status_label)

        self.button_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.button_row.addItem(self.button_spacer)

        self.save_button = QPushButton(PreConferenceForm)
        self.save_button.setObjectName(u"save_button")

        self.button_row.addWidget(self.save_button)


        self.outer_layout.addLayout(self.button_row)

        self.bottom_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.outer_layout.addItem(self.bottom_spacer)

#if QT_CONFIG(shortcut)
        self.focus_label.setBuddy(self.focus_edit)
        self.evidence_label.setBuddy(self.evidence_edit)
        self.observer_label.setBuddy(self.observer_combo)
        self.co_observers_label.setBuddy(self.co_observer_list)
        self.date_label.setBuddy(self.date_edit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.focus_edit, self.evidence_edit)
        QWidget.setTabOrder(self.evidence_edit, self.observer_combo)
        QWidget.setTabOrder(self.observer_combo, self.co_observer_list)
        QWidget.setTabOrder(self.co_observer_list, self.date_edit)
        QWidget.setTabOrder(self.date_edit, self.save_button)

        self.retranslateUi(PreConferenceForm)
    # setupUi

    def retranslateUi(self, PreConferenceForm):
        self.intro_label.setText(QCoreApplication.translate("PreConferenceForm", u"What the two colleagues agreed before the visit: the focus, the evidence the observer collects, and when the visit happens.", None))
        self.focus_label.setText(QCoreApplication.translate("PreConferenceForm", u"&Focus", None))
#if QT_CONFIG(accessibility)
        self.focus_edit.setAccessibleName(QCoreApplication.translate("PreConferenceForm", u"Focus", None))
#endif // QT_CONFIG(accessibility)
        self.focus_edit.setPlaceholderText(QCoreApplication.translate("PreConferenceForm", u"e.g. more students explaining their thinking", None))
        self.evidence_label.setText(QCoreApplication.translate("PreConferenceForm", u"&Evidence to collect", None))
#if QT_CONFIG(accessibility)
        self.evidence_edit.setAccessibleName(QCoreApplication.translate("PreConferenceForm", u"Evidence to collect", None))
#endif // QT_CONFIG(accessibility)
        self.evidence_edit.setPlaceholderText(QCoreApplication.translate("PreConferenceForm", u"What the observer will look and listen for", None))
        self.observer_label.setText(QCoreApplication.translate("PreConferenceForm", u"O&bserver", None))
#if QT_CONFIG(accessibility)
        self.observer_combo.setAccessibleName(QCoreApplication.translate("PreConferenceForm", u"Observer", None))
#endif // QT_CONFIG(accessibility)
        self.co_observers_label.setText(QCoreApplication.translate("PreConferenceForm", u"Co-obse&rvers", None))
#if QT_CONFIG(accessibility)
        self.co_observer_list.setAccessibleName(QCoreApplication.translate("PreConferenceForm", u"Co-observers", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.co_observer_list.setAccessibleDescription(QCoreApplication.translate("PreConferenceForm", u"Colleagues who watch the same lesson and record it on their own laptop, to calibrate with the observer. Space ticks or unticks the person chosen; saved at once.", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.co_observer_list.setToolTip(QCoreApplication.translate("PreConferenceForm", u"Colleagues who watch the same lesson and record it on their own laptop, to calibrate with the observer. Space ticks or unticks the person chosen; saved at once.", None))
#endif // QT_CONFIG(tooltip)
        self.date_label.setText(QCoreApplication.translate("PreConferenceForm", u"Agreed &date", None))
        self.date_edit.setDisplayFormat(QCoreApplication.translate("PreConferenceForm", u"yyyy-MM-dd", None))
#if QT_CONFIG(accessibility)
        self.date_edit.setAccessibleName(QCoreApplication.translate("PreConferenceForm", u"Agreed date of the visit", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.status_label.setAccessibleName(QCoreApplication.translate("PreConferenceForm", u"Save status", None))
#endif // QT_CONFIG(accessibility)
        self.save_button.setText(QCoreApplication.translate("PreConferenceForm", u"Save pre-conference", None))
        pass
    # retranslateUi

