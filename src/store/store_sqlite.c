/* placeholder */ typedef int kavel_placeholder_store_sqlite;
