"""Project commands (COMMANDS_MODULE): ``crawl`` replaces Scrapy's to set the exit status."""
