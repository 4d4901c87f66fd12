/* placeholder */ typedef int kavel_placeholder_contract;
