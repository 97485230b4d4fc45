DROP TABLE pacticipant_labels;
